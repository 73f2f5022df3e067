// 64x16 memory, one synchronous read port and one write port on the same clock.
module mem1r1w (input clk, input we, input [5:0] waddr, input [15:0] wdata,
                input re, input [5:0] raddr, output reg [15:0] rdata);
  reg [15:0] mem [0:63];
  always @(posedge clk) begin
    if (we) mem[waddr] <= wdata;
    if (re) rdata <= mem[raddr];
  end
endmodule
