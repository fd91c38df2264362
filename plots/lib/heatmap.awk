# summary.csv -> placement x size grids of one metric's medians for one mode, one grid (a
# panel) per configuration of the other key columns (cleanup threads, guests, load, ...:
# see facets.awk), so that no row is dropped.
#
#   awk -v metric=cleanup -v mode=async -v kind=time|ratio \
#       -f csv.awk -f facets.awk -f heatmap.awk summary.csv
#
# Prints "S reason" when there is nothing to compare, else gnuplot commands ("C ...": the
# panels and their titles, the tics, the colour range) and per panel a block of cells, one
# per line: "D x y colour label sublabel missing", blocks two blank lines apart. kind time:
# label in ms, colour the cell's ratio to the best (lowest) placement at its size in its
# panel; kind ratio: the value itself.

NR == 1 {
	facet_header_axis($0, col, "placement",
		"summary.csv has no placement column (a run from before placements)")
	next
}

{
	csv_split($0, f)
	if (field(f, col, "mode") != mode || field(f, col, "metric") != metric)
		next
	if (field(f, col, "median_ns") == "")
		next
	fk = facet_add(f, col)
	pl = field(f, col, "placement")
	sz = field(f, col, "size_bytes") + 0
	if (!(pl in prow)) {
		prow[pl] = ++np
		pname[np] = pl
	}
	ns = list_add(size, ns, sz, seen)
	v[fk, pl, sz] = field(f, col, "median_ns") + 0
}

function ms_text(x) {
	if (x >= 100)
		return sprintf("%.0f", x)
	if (x >= 10)
		return sprintf("%.1f", x)
	if (x >= 1)
		return sprintf("%.2f", x)
	return sprintf("%.3f", x)
}

# The cells of facet fk, one block; widens lo and hi (the colour range).
function emit_cells(fk,    i, j, y, x, c, lab, sublab, best) {
	for (j = 1; j <= ns; j++) {
		best[j] = ""
		for (i = 1; i <= np; i++)
			if (((fk, pname[i], size[j]) in v) &&
			    (best[j] == "" || v[fk, pname[i], size[j]] < best[j]))
				best[j] = v[fk, pname[i], size[j]]
	}
	for (i = 1; i <= np; i++)
		for (j = 1; j <= ns; j++) {
			y = np - i + 1
			if (!((fk, pname[i], size[j]) in v)) {
				printf "D %d %d 0 \"-\" \"\" 1\n", j, y
				continue
			}
			x = v[fk, pname[i], size[j]]
			if (kind == "ratio") {
				c = x
				lab = sprintf("%.2f", x)
				sublab = ""
			} else {
				c = best[j] > 0 ? x / best[j] : 1
				lab = ms_text(x / 1e6)
				sublab = sprintf("×%.2f", c)
			}
			if (lo == "" || c < lo)
				lo = c
			if (hi == "" || c > hi)
				hi = c
			printf "D %d %d %.6g \"%s\" \"%s\" 0\n", j, y, c, lab, sublab
		}
}

END {
	if (np == 0)
		plot_skip("no " mode " " metric " rows in summary.csv")
	if (np < 2)
		plot_skip("a single placement (" pname[1] "): nothing to compare")
	sort_num(size, ns)
	facet_finish()
	facet_emit_panels()
	lo = ""
	hi = ""
	for (p = 1; p <= nfacet; p++) {
		if (p > 1)
			printf "\n\n"
		emit_cells(facet[p])
	}
	tics = ""
	for (j = 1; j <= ns; j++)
		tics = tics (j > 1 ? ", " : "") "\"" size_label(size[j]) "\" " j
	print "C set xtics (" tics ")"
	tics = ""
	for (i = 1; i <= np; i++)
		tics = tics (i > 1 ? ", " : "") gq(pname[i]) " " (np - i + 1)
	print "C set ytics (" tics ")"
	printf "C nsize = %d; nplace = %d\n", ns, np
	if (kind == "ratio")
		printf "C cb_lo = %g; cb_hi = %g\n", (lo < 0.5 ? lo : 0.5), (hi > 1 ? hi : 1)
	else
		printf "C cb_lo = 1; cb_hi = %g\n", (hi > 1.25 ? hi : 1.25)
}
