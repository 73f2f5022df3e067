// Net y is driven by two continuous assignments.
module multi_driven (input a, input b, output y);
  assign y = a;
  assign y = b;
endmodule
