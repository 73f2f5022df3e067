// An 8-bit counter with enable and synchronous clear: the smallest design of your own
// to push through the flow (see designs/counter.toml).
module counter (
    input  wire       clk,
    input  wire       rst,
    input  wire       en,
    input  wire       clear,
    output reg  [7:0] count,
    output wire       wrap
);
    assign wrap = en & (count == 8'hff);
    always @(posedge clk) begin
        if (rst | clear)
            count <= 8'd0;
        else if (en)
            count <= count + 8'd1;
    end
endmodule
