"""A stage of the physical flow (place to drc_lvs): it runs for designs whose technology library the
physical stages support, and its input hash covers the technology's files outside the package (a
PDK's; the built-in library's files are package data, hashed with the code)."""

from __future__ import annotations

from tapeout.flow.stage import Stage


class PhysicalStage(Stage):
    def applies(self, config) -> bool:
        from tapeout.flow.config import physical_flow

        return physical_flow(config)

    def input_files(self, config):
        from tapeout.tech.technology import technology_files

        return technology_files(config)
