# summary.csv -> a placement x size grid of one metric's medians for one mode.
#
#   awk -v metric=cleanup -v mode=async -v kind=time|ratio -f csv.awk -f heatmap.awk summary.csv
#
# Prints "S reason" when there is nothing to compare, else gnuplot commands ("C ...") and
# one cell per line: "D x y colour label sublabel missing". kind time: label in ms, colour the
# cell's ratio to the best (lowest) placement at its size; kind ratio: the value itself.
# Rows that differ from the first matching row in any other key column (cleanup threads,
# load, ...) are left out, and the subtitle says which columns had other values.

BEGIN {
	nkeys = split("backend backing vcpus scrub touch cleanup_threads guests load mem_policy",
		keys, " ")
}

NR == 1 {
	csv_header($0, col)
	if (!("placement" in col)) {
		print "S summary.csv has no placement column (a run from before placements)"
		bad = 1
		exit
	}
	next
}

{
	csv_split($0, f)
	if (field(f, col, "mode") != mode || field(f, col, "metric") != metric)
		next
	if (field(f, col, "median_ns") == "")
		next
	k = ""
	for (i = 1; i <= nkeys; i++)
		k = k SUBSEP field(f, col, keys[i])
	if (slice == "") {
		slice = k
		for (i = 1; i <= nkeys; i++)
			sv[keys[i]] = field(f, col, keys[i])
	}
	if (k != slice) {
		for (i = 1; i <= nkeys; i++)
			if (field(f, col, keys[i]) != sv[keys[i]])
				other[keys[i]] = 1
		next
	}
	pl = field(f, col, "placement")
	sz = field(f, col, "size_bytes") + 0
	if (!(pl in prow)) {
		prow[pl] = ++np
		pname[np] = pl
	}
	if (!(sz in seen)) {
		seen[sz] = 1
		size[++ns] = sz
	}
	v[pl, sz] = field(f, col, "median_ns") + 0
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

END {
	if (bad)
		exit
	if (np == 0) {
		print "S no " mode " " metric " rows in summary.csv"
		exit
	}
	if (np < 2) {
		print "S a single placement (" pname[1] "): nothing to compare"
		exit
	}
	sort_num(size, ns)
	lo = ""; hi = ""
	for (j = 1; j <= ns; j++) {
		best[j] = ""
		for (i = 1; i <= np; i++)
			if (((pname[i], size[j]) in v) && (best[j] == "" || v[pname[i], size[j]] < best[j]))
				best[j] = v[pname[i], size[j]]
	}
	for (i = 1; i <= np; i++) {
		for (j = 1; j <= ns; j++) {
			y = np - i + 1
			if (!((pname[i], size[j]) in v)) {
				printf "D %d %d 0 \"-\" \"\" 1\n", j, y
				continue
			}
			x = v[pname[i], size[j]]
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
	s = ""
	for (i = 2; i <= nkeys; i++) {
		t = key_text(keys[i], sv[keys[i]])
		if (t != "")
			s = s (s != "" ? ", " : "") t
	}
	print "C slice = " gq(s)
	s = ""
	for (i = 1; i <= nkeys; i++)
		if (keys[i] in other)
			s = s (s != "" ? ", " : "") keys[i]
	print "C not_shown = " gq(s)
	print "C backend = " gq(sv["backend"])
}
