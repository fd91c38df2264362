# compare.csv (pvbench compare --plot) -> a panel per metric of the ratio NEW/BASE per point
# and mode, every panel on the same x positions (the point and mode, in the order first met).
#
#   awk -f ../lib/csv.awk -f compare.awk compare.csv
#
# Prints "S reason" without a row that has a ratio, else gnuplot commands ("C ...": npanel,
# ptitle[], pymin[], pymax[] per panel, ncat, the x tics, threshold, alpha, resamples, seed,
# base, new, how many rows lack a CI) and per panel a block of
# "D x ratio ci_lo ci_hi has_ci verdict" lines (verdict 0 same, 1 faster, 2 slower; ci_lo and
# ci_hi = ratio when there is no CI), blocks two blank lines apart.

NR == 1 {
	plot_header($0, col, "ratio metric verdict", "compare.csv")
	next
}

{
	csv_split($0, f)
	if ((r = field_positive(f, col, "ratio")) == "")
		next
	m = field(f, col, "metric")
	if (!(m in panel)) {
		panel[m] = ++npanel
		pname[npanel] = m
		plower[npanel] = field(f, col, "lower_is_better")
	}
	p = panel[m]
	c = field(f, col, "label") " " field(f, col, "mode")
	if (!(c in cat)) {
		cat[c] = ncat++
		cname[ncat] = c
	}
	if (!(ci = field_ci(f, col, r, "ci95_lo", "ci95_hi")))
		noci++
	lo = ci_lo
	hi = ci_hi
	v = field(f, col, "verdict")
	row[p, ++nrow[p]] = sprintf("%d %s %s %s %d %d", cat[c], r, lo, hi, ci,
		v == "faster" ? 1 : v == "slower" ? 2 : 0)
	if (!(p in ymin) || lo + 0 < ymin[p])
		ymin[p] = lo + 0
	if (!(p in ymax) || hi + 0 > ymax[p])
		ymax[p] = hi + 0
	if (nrows++ == 0) {
		thr = field(f, col, "threshold") + 0
		alpha = field(f, col, "alpha")
		resamples = field(f, col, "resamples")
		seed = field(f, col, "seed")
		base = field(f, col, "base")
		new = field(f, col, "new")
	}
}

# A path cut to its last 70 characters, so that a title line fits.
function short_path(s) {
	return length(s) > 70 ? "..." substr(s, length(s) - 66) : s
}

END {
	if (nrows == 0)
		plot_skip("no row of compare.csv has a ratio (every BASE median is 0?)")
	printf "C npanel = %d; ncat = %d; noci = %d; threshold = %g\n", npanel, ncat, noci, thr
	print "C alpha = " gq(alpha) "; resamples = " gq(resamples) "; seed = " gq(seed)
	print "C base = " gq(short_path(base)) "; new = " gq(short_path(new))
	printf "C array ptitle[%d]; array pymin[%d]; array pymax[%d]\n", npanel, npanel, npanel
	for (p = 1; p <= npanel; p++) {
		# The band 1 +- threshold always in view, the bars with room around them.
		lo = ymin[p] < 1 - thr ? ymin[p] : 1 - thr
		hi = ymax[p] > 1 + thr ? ymax[p] : 1 + thr
		printf "C ptitle[%d] = %s; pymin[%d] = %g; pymax[%d] = %g\n", p,
			gq(pname[p] (plower[p] == "0" ? " (higher is better)" : " (lower is better)")),
			p, lo / 1.12, p, hi * 1.12
		if (p > 1)
			printf "\n\n"
		for (i = 1; i <= nrow[p]; i++)
			print "D " row[p, i]
	}
	tics = ""
	for (i = 1; i <= ncat; i++)
		tics = tics (i > 1 ? ", " : "") gq(cname[i]) " " (i - 1)
	print "C set xtics (" tics ")"
}
