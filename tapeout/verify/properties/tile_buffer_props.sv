// Properties of tapeout.rtl.tile_buffer.TileBuffer (exported as `tile_buffer`), 2 banks,
// read-first, 2 write lanes. For one symbolic address X per bank, a shadow register follows
// the lanes written to X; a read of X returns, one clock later, every lane written so far
// (the data before a same-clock write), and read data holds while en is low.
// Invariant (what makes k-induction close): the memory word at X, exposed as `state_bank*_word*`
// ports by the .sby script (4 words per bank), holds every lane the shadow knows.
module tile_buffer_formal #(parameter A = 2, parameter W = 8, parameter G = 4) (
    input clk,
    input [1:0] read_en, input [2*A-1:0] read_addr,
    input [2*(W/G)-1:0] write_en, input [2*A-1:0] write_addr, input [2*W-1:0] write_data
);
    localparam N = W / G;
    wire [2*W-1:0] read_data;
    wire [W-1:0] words [0:1][0:3];
    tile_buffer dut(
        .state_bank0_word0(words[0][0]), .state_bank0_word1(words[0][1]),
        .state_bank0_word2(words[0][2]), .state_bank0_word3(words[0][3]),
        .state_bank1_word0(words[1][0]), .state_bank1_word1(words[1][1]),
        .state_bank1_word2(words[1][2]), .state_bank1_word3(words[1][3]),
        .clk(clk), .rst(1'b0),
        .read__0__en(read_en[0]), .read__0__addr(read_addr[0 +: A]), .read__0__data(read_data[0 +: W]),
        .read__1__en(read_en[1]), .read__1__addr(read_addr[A +: A]), .read__1__data(read_data[W +: W]),
        .write__0__en(write_en[0 +: N]), .write__0__addr(write_addr[0 +: A]), .write__0__data(write_data[0 +: W]),
        .write__1__en(write_en[N +: N]), .write__1__addr(write_addr[A +: A]), .write__1__data(write_data[W +: W])
    );
    (* anyconst *) reg [A-1:0] x0;
    (* anyconst *) reg [A-1:0] x1;
    wire [A-1:0] x [0:1];
    assign x[0] = x0;
    assign x[1] = x1;
    reg [W-1:0] shadow [0:1];     // lanes of word X written so far
    reg [W-1:0] known [0:1];      // bit mask of those lanes
    reg [W-1:0] expect_data [0:1];
    reg [W-1:0] expect_mask [0:1];
    reg past_valid = 0;
    integer b, l;
    initial for (b = 0; b < 2; b = b + 1) begin
        shadow[b] = 0; known[b] = 0; expect_data[b] = 0; expect_mask[b] = 0;
    end
    always @(posedge clk) begin
        past_valid <= 1;
        for (b = 0; b < 2; b = b + 1) begin
            if (read_en[b]) begin
                expect_data[b] <= read_addr[b*A +: A] == x[b] ? shadow[b] : 0;
                expect_mask[b] <= read_addr[b*A +: A] == x[b] ? known[b] : 0;
            end
            if (write_addr[b*A +: A] == x[b])
                for (l = 0; l < N; l = l + 1)
                    if (write_en[b*N + l]) begin
                        shadow[b][l*G +: G] <= write_data[b*W + l*G +: G];
                        known[b][l*G +: G] <= {G{1'b1}};
                    end
            assert(((read_data[b*W +: W] ^ expect_data[b]) & expect_mask[b]) == 0);
            assert(((words[b][x[b]] ^ shadow[b]) & known[b]) == 0);
            if (past_valid && !$past(read_en[b])) assert(read_data[b*W +: W] == $past(read_data[b*W +: W]));
        end
    end
endmodule
