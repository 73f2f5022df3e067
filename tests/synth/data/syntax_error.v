// Missing operand before endmodule.
module syntax_error (input a, output y);
  assign y = a &
endmodule
