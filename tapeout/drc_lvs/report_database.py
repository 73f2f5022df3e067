"""DRC markers written to a KLayout report database (`.lyrdb`): one category per rule (named by the
rule, described by its check), one item per violation, in um. Open it in KLayout with the GDS
(Tools > Marker Browser, or `klayout top.gds -m drc.lyrdb`)."""

from __future__ import annotations

from pathlib import Path


def write_report_database(report, gds_path: Path, path: Path) -> None:
    """Write the markers of `report` (a `tapeout.drc_lvs.drc.DrcReport`) to `path`."""
    import klayout.db as db
    import klayout.rdb as rdb

    database = rdb.ReportDatabase("DRC")
    database.description = f"routing-layer DRC of {report.top}: {report.violations} violations"
    database.original_file = str(gds_path)
    database.top_cell_name = report.top
    database.generator = "tapeout drc_lvs"
    cell = database.create_cell(report.top)
    to_um = db.CplxTrans(report.dbu)
    for result in report.results:
        category = database.create_category(result.rule.name)
        category.description = result.rule.describe()
        if result.edge_pairs.count():
            database.create_items(cell.rdb_id(), category.rdb_id(), to_um, result.edge_pairs)
        if result.polygons.count():
            database.create_items(cell.rdb_id(), category.rdb_id(), to_um, result.polygons)
    database.save(str(path))
