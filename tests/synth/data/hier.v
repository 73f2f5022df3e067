module adder #(parameter W = 4) (input [W-1:0] a, input [W-1:0] b, output [W-1:0] s);
  assign s = a + b;
endmodule
module acc #(parameter W = 8) (input clk, input [W-1:0] d, output reg [W-1:0] q);
  wire [W-1:0] n;
  adder #(.W(W)) u (.a(q), .b(d), .s(n));
  always @(posedge clk) q <= n;
endmodule
module top (input clk, input [7:0] d, input [3:0] e, output [7:0] q, output [3:0] r);
  acc #(.W(8)) a8 (.clk(clk), .d(d), .q(q));
  acc #(.W(4)) a4 (.clk(clk), .d(e), .q(r));
endmodule
