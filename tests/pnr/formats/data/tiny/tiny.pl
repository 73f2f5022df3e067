UCLA pl 1.0

a0	0	0	: N
a1	0	0	: N
a2	0	0	: N
a3	0	0	: N
a4	0	0	: N
a5	0	0	: N
a6	0	0	: N
a7	0	0	: N
a8	0	0	: N
a9	0	0	: N
blk	8	4	: N /FIXED
p_in	0	6	: N /FIXED
p_out	20	6	: N /FIXED
p_clk	10	12	: N /FIXED
