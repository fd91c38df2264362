# summary.csv -> cleanup throughput (GiB/s = size / cleanup time) against the number of
# cleanup threads: one series per guest size and configuration (every other key column that
# varies: placement, load, guests, ... see facets.awk), each labelled.
#
#   awk -f csv.awk -f facets.awk -f cleanup_threads.awk summary.csv
#
# Uses the async rows (the sync ones when there are none). Prints "S reason" when there is
# no cleanup_threads variation, else gnuplot commands ("C ...") and, per series, a block of
# "D threads median_gibps low high" lines (low from p95, high from p5 of the time) with two
# blank lines between blocks.

NR == 1 {
	facet_header_axis($0, col, "cleanup_threads",
		"summary.csv has no cleanup_threads column (a run from before it existed)")
	next
}

{
	csv_split($0, f)
	m = field(f, col, "mode")
	if ((m != "async" && m != "sync") || field(f, col, "metric") != "cleanup")
		next
	if (field(f, col, "median_ns") + 0 <= 0)
		next
	r = ++nrows
	mode[r] = m
	fkey[r] = facet_add(f, col)
	size[r] = field(f, col, "size_bytes") + 0
	threads[r] = field(f, col, "cleanup_threads") + 0
	med[r] = field(f, col, "median_ns") + 0
	p5[r] = field(f, col, "p5_ns") + 0
	p95[r] = field(f, col, "p95_ns") + 0
	if (m == "async")
		nasync++
}

function gibps(bytes, ns) {
	return ns > 0 ? bytes / 1073741824 / (ns / 1e9) : 0
}

END {
	if (nrows == 0)
		plot_skip("no cleanup rows in summary.csv")
	facet_finish()
	use = nasync ? "async" : "sync"
	for (r = 1; r <= nrows; r++) {
		if (mode[r] != use)
			continue
		nt = list_add(tl, nt, threads[r], tseen)
		ns = list_add(sl, ns, size[r], sseen)
	}
	if (nt < 2)
		plot_skip("a single cleanup_threads value (" tl[1] "): nothing to compare")
	sort_num(tl, nt)
	sort_num(sl, ns)
	# series: every configuration, then every size within it; empty ones are left out
	nser = 0
	for (p = 1; p <= nfacet; p++)
		for (j = 1; j <= ns; j++) {
			nd = 0
			for (t = 1; t <= nt; t++)
				for (r = 1; r <= nrows; r++)
					if (mode[r] == use && fkey[r] == facet[p] && size[r] == sl[j] &&
					    threads[r] == tl[t]) {
						if (!nd++ && nser++)
							printf "\n\n"
						printf "D %d %.6g %.6g %.6g\n", tl[t], gibps(size[r], med[r]),
							gibps(size[r], p95[r]), gibps(size[r], p5[r])
					}
			if (nd) {
				lab = facet_label(facet[p])
				stitle[nser] = size_label(sl[j]) (lab != "" ? ", " lab : "")
			}
		}
	printf "\n\n"
	printf "C nseries = %d; tmin = %d; tmax = %d\n", nser, tl[1], tl[nt]
	printf "C array stitle[%d]\n", nser
	for (i = 1; i <= nser; i++)
		printf "C stitle[%d] = %s\n", i, gq(stitle[i])
	tics = ""
	for (t = 1; t <= nt; t++)
		tics = tics (t > 1 ? ", " : "") "\"" tl[t] "\" " tl[t]
	print "C set xtics (" tics ")"
	print "C slice = " gq_wrap(facet_common(), 72)
	print "C used_mode = " gq(use)
	print "C backend = " gq(facet_backends())
}
