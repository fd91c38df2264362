# summary.csv -> reboot latency against size: one panel per configuration that varies (see
# facets.awk), one line per mode (sync, async, floor, floor_loaded) in each.
#
#   awk -f csv.awk -f facets.awk -f panels.awk -f reboot_latency.awk summary.csv
#
# Prints "S reason" without reboot rows, else gnuplot commands ("C ...": the panels, the
# blocks of each, the x tics and ranges) and per block "D size median_ms p5_ms p95_ms" lines,
# blocks two blank lines apart, panel by panel.

NR == 1 {
	plot_header($0, col, "metric median_ns", "summary.csv")
	next
}

{
	csv_split($0, f)
	m = field(f, col, "mode")
	if (field(f, col, "metric") != "reboot" || !(m in mode_rank) || field(f, col, "median_ns") == "")
		next
	fk = facet_add(f, col)
	sz = field(f, col, "size_bytes") + 0
	med = field(f, col, "median_ns") / 1e6
	lo = field(f, col, "p5_ns") != "" ? field(f, col, "p5_ns") / 1e6 : med
	hi = field(f, col, "p95_ns") != "" ? field(f, col, "p95_ns") / 1e6 : med
	if (!((fk, m, sz) in row))
		series_add(fk, m, sz)
	row[fk, m, sz] = sprintf("%.0f %.6f %.6f %.6f", sz, med, lo, hi)
	range_add(sz, lo, hi)
}

END {
	if (nrange == 0)
		plot_skip("no reboot rows (sync, async or floor) in summary.csv")
	facet_finish()
	facet_emit_panels()
	emit_series_blocks()
	emit_size_axis()
}
