// Output y is never driven.
module undriven (input a, output y, output z);
  assign z = a;
endmodule
