// Two-level hierarchy: a 4x4 multiplier feeding a registered accumulator.
module mul4 (input [3:0] a, input [3:0] b, output [7:0] p);
  assign p = a * b;
endmodule

module mac (input clk, input clr, input [3:0] a, input [3:0] b, output reg [11:0] acc);
  wire [7:0] p;
  mul4 u_mul (.a(a), .b(b), .p(p));
  always @(posedge clk)
    if (clr) acc <= 12'd0;
    else acc <= acc + {4'd0, p};
endmodule
