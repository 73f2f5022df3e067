// Properties of tapeout.rtl.crossbar.Crossbar (exported as module `crossbar`), P ports, W-bit data.
// Input beat  = {last, dest[D-1:0], data[W-1:0]}; output beat = {last, src[D-1:0], data[W-1:0]}.
// Safety (any backpressure): every input beat that transfers leaves on exactly one output, the
// output its packet's first beat named, with its data and last flag (no loss, no duplication,
// no invention); an output never interleaves two packets (grant held until last).
// Bounded liveness (`define OUTPUTS_READY, packets of at most L beats sent without idle clocks
// inside a packet): an input waits at most (P-1)*L clocks (round-robin fairness bound), so nothing
// is lost within that bound. (With idle clocks inside packets the bound is P-1 packets, not clocks:
// BMC finds a 7-clock wait at P = 3, L = 3 when a granted sender pauses mid-packet.)
// Invariants (what makes k-induction close): the switch's own registers, exposed as `state_*`
// ports by the .sby script, agree with this wrapper's model of the packets in flight, and every
// arbiter's search start is a real port.
module crossbar_formal #(parameter P = 3, parameter W = 4, parameter D = 2, parameter L = 3) (
    input clk,
    input [P-1:0] in_valid,
    input [P*(W+D+1)-1:0] in_payload,
    input [P-1:0] out_ready
);
    localparam B = W + D + 1;
    wire [P-1:0] in_ready, out_valid;
    wire [P*B-1:0] out_payload;
    wire [P-1:0] dut_in_busy, dut_out_locked;
    wire [P*D-1:0] dut_in_held, dut_out_owner, dut_start;
    crossbar dut(
        .state_in0_busy(dut_in_busy[0]), .state_in1_busy(dut_in_busy[1]), .state_in2_busy(dut_in_busy[2]),
        .state_in0_held(dut_in_held[0 +: D]), .state_in1_held(dut_in_held[D +: D]), .state_in2_held(dut_in_held[2*D +: D]),
        .state_out0_locked(dut_out_locked[0]), .state_out1_locked(dut_out_locked[1]), .state_out2_locked(dut_out_locked[2]),
        .state_out0_owner(dut_out_owner[0 +: D]), .state_out1_owner(dut_out_owner[D +: D]), .state_out2_owner(dut_out_owner[2*D +: D]),
        .state_arbiter0_start(dut_start[0 +: D]), .state_arbiter1_start(dut_start[D +: D]), .state_arbiter2_start(dut_start[2*D +: D]),
        .clk(clk), .rst(1'b0),
        .inputs__0__valid(in_valid[0]), .inputs__0__payload(in_payload[0*B +: B]), .inputs__0__ready(in_ready[0]),
        .inputs__1__valid(in_valid[1]), .inputs__1__payload(in_payload[1*B +: B]), .inputs__1__ready(in_ready[1]),
        .inputs__2__valid(in_valid[2]), .inputs__2__payload(in_payload[2*B +: B]), .inputs__2__ready(in_ready[2]),
        .outputs__0__valid(out_valid[0]), .outputs__0__payload(out_payload[0*B +: B]), .outputs__0__ready(out_ready[0]),
        .outputs__1__valid(out_valid[1]), .outputs__1__payload(out_payload[1*B +: B]), .outputs__1__ready(out_ready[1]),
        .outputs__2__valid(out_valid[2]), .outputs__2__payload(out_payload[2*B +: B]), .outputs__2__ready(out_ready[2])
    );

    reg past_valid = 0;
    always @(posedge clk) past_valid <= 1;

    reg [P-1:0] in_busy = 0;          // input is inside a packet (a non-last beat transferred)
    reg [D-1:0] in_route [0:P-1];     // output of the packet in progress
    reg [P-1:0] out_locked = 0;       // output is inside a packet
    reg [D-1:0] out_owner [0:P-1];
    reg [7:0] beats [0:P-1];          // beats of the current packet offered so far
    reg [7:0] waited [0:P-1];         // clocks an input has waited with valid high
    integer i, o, n;
    initial for (i = 0; i < P; i = i + 1) begin
        in_route[i] = 0; out_owner[i] = 0; beats[i] = 0; waited[i] = 0;
    end

    always @(*) begin
        for (i = 0; i < P; i = i + 1) begin
            // dest is a real port
            if (in_valid[i]) assume(in_payload[i*B + W +: D] < P);
`ifdef OUTPUTS_READY
            assume(out_ready[i]);
            if (in_valid[i] && beats[i] == L - 1) assume(in_payload[i*B + W + D]);
            if (in_busy[i]) assume(in_valid[i]);
`endif
        end
        for (i = 0; i < P; i = i + 1) begin
            // an input beat transfers iff exactly one output carries it, to its route, intact
            n = 0;
            for (o = 0; o < P; o = o + 1)
                if (out_valid[o] && out_ready[o] && out_payload[o*B + W +: D] == i) begin
                    n = n + 1;
                    assert(in_valid[i] && in_ready[i]);
                    assert(out_payload[o*B +: W] == in_payload[i*B +: W]);
                    assert(out_payload[o*B + W + D] == in_payload[i*B + W + D]);
                    assert(o == (in_busy[i] ? in_route[i] : in_payload[i*B + W +: D]));
                end
            assert(n == (in_valid[i] && in_ready[i] ? 1 : 0));
            // grant: an offered output beat comes from a requesting input
            if (out_valid[i]) assert(in_valid[out_payload[i*B + W +: D]]);
            // no interleaving: a locked output serves its owner only
            if (out_locked[i] && out_valid[i]) assert(out_payload[i*B + W +: D] == out_owner[i]);
`ifdef OUTPUTS_READY
            assert(waited[i] <= (P - 1) * L);
            assert(beats[i] < L && (beats[i] != 0) == in_busy[i]);
`endif
            // invariants: the switch's registers match the model, inputs and outputs agree
            assert(dut_in_busy[i] == in_busy[i]);
            assert(dut_out_locked[i] == out_locked[i]);
            assert(dut_start[i*D +: D] < P);
            if (in_busy[i]) begin
                assert(dut_in_held[i*D +: D] == in_route[i]);
                assert(in_route[i] < P);
                assert(out_locked[in_route[i]] && out_owner[in_route[i]] == i);
            end
            if (out_locked[i]) begin
                assert(dut_out_owner[i*D +: D] == out_owner[i]);
                assert(out_owner[i] < P);
                assert(in_busy[out_owner[i]] && in_route[out_owner[i]] == i);
            end
        end
    end

    always @(posedge clk) begin
        for (i = 0; i < P; i = i + 1) begin
            if (in_valid[i] && in_ready[i]) begin
                in_busy[i] <= !in_payload[i*B + W + D];
                if (!in_busy[i]) in_route[i] <= in_payload[i*B + W +: D];
                beats[i] <= in_payload[i*B + W + D] ? 0 : beats[i] + 1;
            end
            waited[i] <= (in_valid[i] && !in_ready[i]) ? waited[i] + 1 : 0;
            if (out_valid[i] && out_ready[i]) begin
                out_locked[i] <= !out_payload[i*B + W + D];
                out_owner[i] <= out_payload[i*B + W +: D];
            end
            // stream protocol: a valid beat is held, unchanged, until it transfers
            if (past_valid && $past(in_valid[i] && !in_ready[i])) begin
                assume(in_valid[i]);
                assume(in_payload[i*B +: B] == $past(in_payload[i*B +: B]));
            end
        end
    end
endmodule
