# speedup.csv -> the speedup (sync / async reboot median) against guest size, one series
# per configuration that varies (see facets.awk).
#
#   awk -f csv.awk -f facets.awk -f speedup.awk speedup.csv
#
# Prints "S reason" without a speedup, else gnuplot commands ("C ...": nseries, stitle[],
# the x tics, the y range, what the bootstrap used, how many points have no CI) and per
# series a block of "D size speedup ci_lo ci_hi has_ci n_sync n_async" lines (ci_lo and
# ci_hi = speedup when there is no CI), blocks two blank lines apart.

NR == 1 {
	plot_header($0, col, "speedup size_bytes", "speedup.csv")
	next
}

{
	csv_split($0, f)
	if ((s = field_positive(f, col, "speedup")) == "")
		next
	fk = facet_add(f, col)
	sz = field(f, col, "size_bytes") + 0
	if ((ci = field_ci(f, col, s, "speedup_ci95_lo", "speedup_ci95_hi")))
		withci++
	else
		noci++
	lo = ci_lo
	hi = ci_hi
	if (!((fk, sz) in row)) {
		sizes[fk, ++nsz[fk]] = sz
		nall = list_add(allsize, nall, sz, seen)
	}
	row[fk, sz] = sprintf("%.0f %s %s %s %d %s %s", sz, s, lo, hi, ci,
		field(f, col, "n_sync"), field(f, col, "n_async"))
	if (ymin == "" || lo + 0 < ymin)
		ymin = lo + 0
	if (ymax == "" || hi + 0 > ymax)
		ymax = hi + 0
	if (resamples == "" && ci) {
		resamples = field(f, col, "resamples")
		seed = field(f, col, "seed")
	}
	nrows++
}

END {
	if (nrows == 0)
		plot_skip("no point with a speedup in speedup.csv (a run needs both sync and async " \
			"reboots)")
	facet_finish()
	printf "C nseries = %d; noci = %d; withci = %d\n", nfacet, noci, withci
	printf "C ymin = %g; ymax = %g\n", ymin, ymax
	print "C resamples = " gq(resamples) "; seed = " gq(seed)
	printf "C array stitle[%d]\n", nfacet
	print "C common = " gq_wrap(facet_common(), 72)
	print "C backend = " gq(facet_backends())
	for (p = 1; p <= nfacet; p++) {
		fk = facet[p]
		t = facet_label(fk)
		printf "C stitle[%d] = %s\n", p, gq(t != "" ? t : "speedup")
		n = nsz[fk]
		for (i = 1; i <= n; i++)
			s_[i] = sizes[fk, i]
		sort_num(s_, n)
		if (p > 1)
			printf "\n\n"
		for (i = 1; i <= n; i++)
			print "D " row[fk, s_[i]]
	}
	sort_num(allsize, nall)
	tics = ""
	for (i = 1; i <= nall; i++)
		tics = tics (i > 1 ? ", " : "") "\"" size_label(allsize[i]) "\" " sprintf("%.0f", allsize[i])
	print "C set xtics (" tics ")"
	printf "C xmin = %.0f; xmax = %.0f\n", allsize[1], allsize[nall]
}
