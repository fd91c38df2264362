# Reboot latency against guest size: median with p5..p95 bars, one line per mode and, when
# the run has several, per vcpus/backing/scrub combination.
#
#   gnuplot -c plots/reboot_latency.gp DIR [png|svg]     writes DIR/reboot_latency.png|svg
#
# Input: DIR/summary.csv (header line; columns backend,size_bytes,mode,metric,n,median_ns,
# p5_ns,p25_ns,p75_ns,p95_ns,min_ns,max_ns,mean_ns,stdev_ns,cov,ci95_lo_ns,ci95_hi_ns,vcpus,
# backing,scrub,touch,unit). awk reshapes it (plain POSIX awk: Debian's default is mawk).

name = "reboot_latency"
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

# Rows: moderank mode vcpus backing scrub size median_ms p5_ms p95_ms (host rows dropped).
AWK_ROWS = 'BEGIN { FS = ","; r["sync"] = 1; r["async"] = 2; r["floor"] = 3 } \
	NR > 1 && $4 == "reboot" && ($3 in r) && $6 != "" { \
		printf "%d %s %s %s %s %.0f %.6f %.6f %.6f\n", r[$3], $3, $18, $19, $20, $2, \
			$6 / 1e6, ($7 != "" ? $7 : $6) / 1e6, ($10 != "" ? $10 : $6) / 1e6 }'
SORT = "sort -k1,1n -k3,3n -k4,4 -k5,5n -k6,6n"
rows(post) = "awk ".sq(AWK_ROWS)." ".csv." | ".SORT.(post eq "" ? "" : " | awk ".sq(post))

# One data block per series; the series as mode,vcpus,backing,scrub in the same order.
AWK_BLOCKS = '{ k = $1 " " $3 " " $4 " " $5; if (NR > 1 && k != p) printf "\n\n"; p = k; print }'
AWK_SERIES = '{ k = $2 "," $3 "," $4 "," $5; if (k != p) print k; p = k }'
AWK_COMBOS = '{ k = $3 "," $4 "," $5; if (!(k in s)) { s[k] = 1; print k } }'
AWK_VARY = '{ v[$3] = 1; b[$4] = 1; s[$5] = 1 } \
	END { for (k in v) nv++; for (k in b) nb++; for (k in s) ns++; print nv + 0, nb + 0, ns + 0 }'
# x tics from the sizes present: "512M" 536870912, "1G" 1073741824, ...
AWK_TICS = 'function lab(x) { \
		if (x >= 1073741824 && x % 1073741824 == 0) return sprintf("%dG", x / 1073741824); \
		if (x >= 1048576 && x % 1048576 == 0) return sprintf("%dM", x / 1048576); \
		return sprintf("%.0f", x) } \
	!($6 in s) { s[$6] = 1; printf "%s\"%s\" %.0f", (n++ ? ", " : ""), lab($6), $6 }'
AWK_RANGE = 'NR == 1 { x0 = x1 = $6; y0 = $8; y1 = $9 } \
	{ if ($6 < x0) x0 = $6; if ($6 > x1) x1 = $6; if ($8 < y0) y0 = $8; if ($9 > y1) y1 = $9 } \
	END { printf "%.0f %.0f %g %g", x0, x1, y0, y1 }'
# The backend(s) of the guest rows; of the host rows if there are no others.
AWK_BACKEND = 'BEGIN { FS = "," } NR > 1 && $1 != "" { \
		if ($3 != "host" && !($1 in g)) { g[$1] = 1; gl = gl (ng++ ? ", " : "") $1 } \
		if ($3 == "host" && !($1 in h)) { h[$1] = 1; hl = hl (nh++ ? ", " : "") $1 } } \
	END { printf "%s", ng ? gl : hl }'

series = system(rows(AWK_SERIES))
combos = system(rows(AWK_COMBOS))
vary = system(rows(AWK_VARY))
backend = system("awk ".sq(AWK_BACKEND)." ".csv)
nseries = words(series)
nv = int(word(vary, 1)); nb = int(word(vary, 2)); nsc = int(word(vary, 3))
if (backend eq "") { backend = "unknown backend" }
emulated = strstrt(backend, "pv-emulated") > 0

set encoding utf8
if (fmt eq "svg") {
	set terminal svg size 1000,620 dynamic font "DejaVu Sans,13" background "white" noenhanced
} else {
	set terminal pngcairo size 1000,620 font "DejaVu Sans,11" noenhanced
}
set output dir."/".name.".".fmt

title1 = "Reboot latency vs guest size: ".backend.(emulated ? " (EMULATED MODEL)" : "")
title2 = "median, bars p5–p95"

if (nseries == 0) {
	print name.".gp: warning: no reboot rows in ".dir."/summary.csv; drawing an empty figure"
	set title title1."\n".title2
	unset border; unset tics; unset key
	set label 1 "no reboot measurements in summary.csv" at graph 0.5, 0.5 center
	plot [0:1] [0:1] NaN notitle
	exit
}

# field(s, n): the n-th comma-separated field of s.
field(s, n) = n <= 1 ? (strstrt(s, ",") ? s[1:strstrt(s, ",") - 1] : s) : \
	field(s[strstrt(s, ",") + 1:], n - 1)
combo_index(k, i) = i > words(combos) ? 1 : (word(combos, i) eq k ? i : combo_index(k, i + 1))

s_mode(i) = field(word(series, i), 1)
s_vcpus(i) = field(word(series, i), 2)
s_backing(i) = field(word(series, i), 3)
s_scrub(i) = field(word(series, i), 4)
s_combo(i) = combo_index(s_vcpus(i).",".s_backing(i).",".s_scrub(i), 1)
vcpus_txt(v) = v.(v eq "1" ? " vCPU" : " vCPUs")
scrub_txt(s) = s eq "1" ? "scrub" : "no scrub"
s_title(i) = s_mode(i) \
	.(nv > 1 ? ", ".vcpus_txt(s_vcpus(i)) : "") \
	.(nb > 1 ? ", ".s_backing(i) : "") \
	.(nsc > 1 ? ", ".scrub_txt(s_scrub(i)) : "")
# Colour says the mode, dashes and point shapes the combination.
mode_color(m) = m eq "sync" ? 0xd62728 : m eq "async" ? 0x1f77b4 : 0x555555
POINTS = "7 5 9 11 13 15 4 6"
s_point(i) = int(word(POINTS, (s_combo(i) - 1) % words(POINTS) + 1))

# What is common to every series goes under the title.
common = ""
if (nv == 1) { common = common.", ".vcpus_txt(s_vcpus(1)) }
if (nb == 1) { common = common.", ".s_backing(1)." memory" }
if (nsc == 1) { common = common.", ".scrub_txt(s_scrub(1)) }
set title title1."\n".title2.common font ",12"

range = system(rows(AWK_RANGE))
xmin = real(word(range, 1)); xmax = real(word(range, 2))
ymin = real(word(range, 3)); ymax = real(word(range, 4))
if (ymin <= 0) { ymin = ymax / 1000 }
set logscale x 2
set xrange [xmin / 1.5 : xmax * 1.5]
eval "set xtics (".system(rows(AWK_TICS)).")"
set xlabel "guest memory size"

set logscale y 10
set ytics (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, \
	1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000)
set format y "%g"
set mytics 10
set ylabel "reboot latency (ms, log scale)"
set yrange [ymin / 1.6 : ymax * 1.6]

set grid xtics ytics lt 1 lc rgb "#e0e0e0" lw 1
set border 3 lw 1
set tics nomirror out
set key outside right top vertical Left reverse samplen 4 spacing 1.2 title "mode" noautotitle
set pointsize 1.1
set bars 1.5

# Series side by side around each size (in octaves) so that error bars stay apart.
dodge(i) = 2 ** (0.035 * (i - (nseries + 1) / 2.0))

# Read the series once into a datablock (gnuplot would close a pipe after the block it wants).
set print $series
data = system(rows(AWK_BLOCKS))
while (strlen(data) > 0) {
	p = strstrt(data, "\n")
	if (p == 0) { line = data; data = "" } else { line = data[1:p - 1]; data = data[p + 1:] }
	print line
}
unset print

# Bars solid and lines dashed per combination: two elements per series.
plot for [i = 1:nseries] $series index (i - 1) using ($6 * dodge(i)):7:8:9 \
		with yerrorbars lw 1.5 lc rgb mode_color(s_mode(i)) pt s_point(i) notitle, \
	for [i = 1:nseries] $series index (i - 1) using ($6 * dodge(i)):7 \
		with linespoints lw 2 lc rgb mode_color(s_mode(i)) dt s_combo(i) pt s_point(i) \
		title s_title(i)
