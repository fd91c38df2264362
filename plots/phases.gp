# Where a reboot's time goes: per size and mode (sync, async), stacked medians of the
# critical-path phases stop, teardown, create, start; below, the cleanup and populate medians
# on the same layout. One cluster per size (and per vcpus/backing/scrub combination when a
# run has several). A missing metric counts as 0.
#
#   gnuplot -c plots/phases.gp DIR [png|svg]     writes DIR/phases.png|svg
#
# Input: DIR/summary.csv (header line; columns backend,size_bytes,mode,metric,n,median_ns,
# p5_ns,p25_ns,p75_ns,p95_ns,min_ns,max_ns,mean_ns,stdev_ns,cov,ci95_lo_ns,ci95_hi_ns,vcpus,
# backing,scrub,touch,unit). awk reshapes it (plain POSIX awk: Debian's default is mawk).

name = "phases"
if (ARGC < 1 || ARG1 eq "") {
	print "usage: gnuplot -c ".name.".gp DIR [png|svg]"
	exit status 2
}
dir = ARG1
fmt = (ARGC >= 2 && ARG2 ne "") ? ARG2 : "png"
if (fmt ne "png" && fmt ne "svg") {
	print name.".gp: format must be png or svg, not ".fmt
	exit status 2
}

# The csv path quoted for the shell.
q = ""
do for [i = 1:strlen(dir)] { c = dir[i:i]; q = q.(c eq "'" ? "'\\''" : c) }
csv = "'".q."/summary.csv'"
if (system("test -r ".csv." && echo ok") ne "ok") {
	print name.".gp: cannot read ".dir."/summary.csv"
	exit status 1
}
sq(s) = "'".s."'"

# One row per vcpus backing scrub size moderank mode, then the medians in ms of
# stop teardown create start cleanup populate.
AWK_PHASES = 'BEGIN { FS = ","; r["sync"] = 1; r["async"] = 2; \
		np = split("stop teardown create start cleanup populate", ph, " "); \
		for (i = 1; i <= np; i++) want[ph[i]] = 1 } \
	NR > 1 && ($3 in r) && ($4 in want) && $6 != "" { \
		k = $18 " " $19 " " $20 " " $2 " " r[$3] " " $3; keys[k] = 1; v[k, $4] = $6 / 1e6 } \
	END { for (k in keys) { printf "%s", k; \
		for (i = 1; i <= np; i++) printf " %.6f", v[k, ph[i]] + 0; printf "\n" } }'
SORT = "sort -k1,1n -k2,2 -k3,3n -k4,4n -k5,5n"
# Bar positions: 1 apart within a size, a gap between sizes, a wider one between combinations.
# Columns after this: x vcpus backing scrub size moderank mode stop teardown create start
# cleanup populate.
AWK_LAYOUT = '{ g = $1 " " $2 " " $3; c = g " " $4; \
	x = NR == 1 ? 0 : x + (g != pg ? 2.4 : c != pc ? 1.6 : 1); pg = g; pc = c; print x, $0 }'
# gnuplot commands for the axis: a tic per bar (its mode; S or A when the width runs out), a
# label per cluster (its size), and when there are several combinations of vcpus/backing/scrub,
# a label under each group of clusters and a line between groups; the x range.
AWK_AXIS = 'function lab(x) { \
		if (x >= 1073741824 && x % 1073741824 == 0) return sprintf("%dG", x / 1073741824); \
		if (x >= 1048576 && x % 1048576 == 0) return sprintf("%dM", x / 1048576); \
		return sprintf("%.0f", x) } \
	{ m[NR] = $7; xs[NR] = $1; g = $2 " " $3 " " $4; c = g " " $5; \
		if (!(c in cf)) { cf[c] = $1; corder[++nc] = c; sz[c] = $5 } \
		if (!(g in gf)) { gf[g] = $1; gorder[++ng] = g; vc[g] = $2; bk[g] = $3; sc[g] = $4 } \
		cl[c] = $1; gl[g] = $1; dv[$2] = 1; db[$3] = 1; ds[$4] = 1; \
		for (j = 12; j <= 13; j++) if ($j > 0) { \
			if (lo == "" || $j < lo) lo = $j; if ($j > hi) hi = $j } \
		if (NR == 1) x0 = $1; x1 = $1 } \
	END { for (k in dv) nv++; for (k in db) nb++; for (k in ds) ns++; \
		for (i = 1; i <= NR; i++) tics = tics (i > 1 ? ", " : "") sprintf("\"%s\" %g", \
			(NR > 38 ? toupper(substr(m[i], 1, 1)) : m[i]), xs[i]); \
		print "set xtics (" tics ")"; \
		printf "set xrange [%g:%g]\n", x0 - 0.8, x1 + 0.8; \
		for (i = 1; i <= nc; i++) { c = corder[i]; \
			printf "set label %d \"%s\" at first %g, graph 0 center front offset 0,-2.5\n", \
				100 + i, lab(sz[c]), (cf[c] + cl[c]) / 2 } \
		for (i = 1; ng > 1 && i <= ng; i++) { g = gorder[i]; s = ""; \
			if (nv > 1) s = vc[g] (vc[g] == 1 ? " vCPU" : " vCPUs"); \
			if (nb > 1) s = s (s != "" ? ", " : "") bk[g]; \
			if (ns > 1) s = s (s != "" ? ", " : "") (sc[g] == 1 ? "scrub" : "no scrub"); \
			printf "set label %d \"%s\" at first %g, graph 0 center front offset 0,-3.9\n", \
				1000 + i, s, (gf[g] + gl[g]) / 2; \
			if (i > 1) printf "set arrow %d from first %g, graph 0 to first %g, graph 1 " \
				"nohead back lc rgb \"#b0b0b0\" dt 2\n", 100 + i, \
				(gl[gorder[i - 1]] + gf[g]) / 2, (gl[gorder[i - 1]] + gf[g]) / 2 } \
		printf "nbars = %d; nlines = %d; abbrev = %d\n", NR, 1 + (ng > 1), (NR > 38); \
		printf "low_lo = %g; low_hi = %g\n", lo + 0, hi + 0 }'
# The backend(s) of the guest rows; of the host rows if there are no others.
AWK_BACKEND = 'BEGIN { FS = "," } NR > 1 && $1 != "" { \
		if ($3 != "host" && !($1 in g)) { g[$1] = 1; gl = gl (ng++ ? ", " : "") $1 } \
		if ($3 == "host" && !($1 in h)) { h[$1] = 1; hl = hl (nh++ ? ", " : "") $1 } } \
	END { printf "%s", ng ? gl : hl }'
AWK_VARY = '{ v[$1] = 1; b[$2] = 1; s[$3] = 1 } \
	END { for (k in v) nv++; for (k in b) nb++; for (k in s) ns++; print nv + 0, nb + 0, ns + 0 }'

rows = "awk ".sq(AWK_PHASES)." ".csv." | ".SORT." | awk ".sq(AWK_LAYOUT)
axis = system(rows." | awk ".sq(AWK_AXIS))
first_row = system(rows." | awk 'NR == 1'")
vary = system("awk ".sq(AWK_PHASES)." ".csv." | awk ".sq(AWK_VARY))
backend = system("awk ".sq(AWK_BACKEND)." ".csv)
if (backend eq "") { backend = "unknown backend" }
emulated = strstrt(backend, "pv-emulated") > 0

# Load the bars into a datablock (read once, plotted many times) and run the axis commands.
nbars = 0; nlines = 1; abbrev = 0; low_lo = 0; low_hi = 0
set print $bars
data = system(rows)
while (strlen(data) > 0) {
	p = strstrt(data, "\n")
	if (p == 0) { line = data; data = "" } else { line = data[1:p - 1]; data = data[p + 1:] }
	print line
}
unset print
while (strlen(axis) > 0) {
	p = strstrt(axis, "\n")
	if (p == 0) { line = axis; axis = "" } else { line = axis[1:p - 1]; axis = axis[p + 1:] }
	eval line
}

width = nbars * 52 + 420
width = width < 1000 ? 1000 : width > 2400 ? 2400 : width
set encoding utf8
if (fmt eq "svg") {
	set terminal svg size width,900 dynamic font "DejaVu Sans,13" background "white" noenhanced
} else {
	set terminal pngcairo size width,900 font "DejaVu Sans,11" noenhanced
}
set output dir."/".name.".".fmt

title = "Reboot phases: ".backend.(emulated ? " (EMULATED MODEL)" : "")
subtitle = "medians"
vcpus_txt(v) = v.(v eq "1" ? " vCPU" : " vCPUs")
scrub_txt(s) = s eq "1" ? "scrub" : "no scrub"
if (nbars > 0) {
	if (int(word(vary, 1)) == 1) { subtitle = subtitle.", ".vcpus_txt(word(first_row, 2)) }
	if (int(word(vary, 2)) == 1) { subtitle = subtitle.", ".word(first_row, 3)." memory" }
	if (int(word(vary, 3)) == 1) { subtitle = subtitle.", ".scrub_txt(word(first_row, 4)) }
}
if (abbrev) { subtitle = subtitle." (S = sync, A = async)" }
title = title."\n".subtitle

if (nbars == 0) {
	print name.".gp: warning: no sync or async phase rows in ".dir."/summary.csv; drawing an empty figure"
	set title title
	unset border; unset tics; unset key
	set label 1 "no phase measurements (stop, teardown, create, start, cleanup, populate)" \
		at graph 0.5, 0.5 center
	plot [0:1] [0:1] NaN notitle
	exit
}

set style fill solid 0.9 border lc rgb "#303030"
set grid ytics lt 1 lc rgb "#e0e0e0" lw 1
set border 3 lw 1
set tics nomirror out
set xtics scale 0 font ",9"
set ytics font ",10"
set format y "%g"
set key outside right top vertical Left reverse samplen 1.5 spacing 1.2 noautotitle
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0

# Both panels share the left and right edges so that their bars line up.
L = 100.0 / width
R = 1 - 150.0 / width
# Below each panel: the tic labels, then the cluster labels (nlines each), in character rows.
ch = 18.0 / 900
split = 0.4
set multiplot title title font ",13"

set lmargin at screen L; set rmargin at screen R
set tmargin at screen 0.87; set bmargin at screen split + (nlines + 4.5) * ch
set title "critical path: stop + teardown + create + start (total above each bar)" font ",11"
set ylabel "ms (median)"
set boxwidth 0.8 absolute
total_txt(v) = v >= 100 ? sprintf("%.0f", v) : sprintf("%.3g", v)
PH_STOP = 0x9467bd; PH_TEARDOWN = 0xd62728; PH_CREATE = 0x2ca02c; PH_START = 0x1f77b4
plot $bars using 1:($8 + $9 + $10 + $11) with boxes lc rgb PH_START title "start", \
	'' using 1:($8 + $9 + $10) with boxes lc rgb PH_CREATE title "create", \
	'' using 1:($8 + $9) with boxes lc rgb PH_TEARDOWN title "teardown", \
	'' using 1:8 with boxes lc rgb PH_STOP title "stop", \
	'' using 1:($8 + $9 + $10 + $11):(total_txt($8 + $9 + $10 + $11)) \
		with labels offset 0, 0.7 font (abbrev ? ",7" : ",9") notitle

set tmargin at screen split; set bmargin at screen (nlines + 3.2) * ch
set title "cleanup of the old guest (in the background when async) and populate of the new one" font ",11"
set ylabel "ms (median)"
set boxwidth 0.38 absolute
# Populate can dwarf cleanup (or the other way round): a log scale when they are decades apart.
if (low_lo > 0 && low_hi / low_lo > 30) {
	set logscale y 10
	set yrange [low_lo / 2 : low_hi * 3]
	set ytics (0.01, 0.1, 1, 10, 100, 1000, 10000, 100000, 1000000)
	set mytics 10
	set ylabel "ms (median, log scale)"
	set offsets 0, 0, 0, 0
}
plot $bars using ($1 - 0.2):12 with boxes lc rgb 0xff7f0e title "cleanup", \
	'' using ($1 + 0.2):13 with boxes lc rgb 0x17becf title "populate", \
	'' using ($1 - 0.2):12:(abbrev || $12 <= 0 ? "" : total_txt($12)) \
		with labels offset 0, 0.6 font ",8" notitle, \
	'' using ($1 + 0.2):13:(abbrev || $13 <= 0 ? "" : total_txt($13)) \
		with labels offset 0, 0.6 font ",8" notitle

unset multiplot
