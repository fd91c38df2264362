# A grid of panels, one per facet (lib/facets.awk): the caller sets npanel, panel_w and
# panel_h (pixels of one panel), maxcols and head (pixels above the grid for the title),
# then loads this file after prologue.gnuplot. It opens the terminal (DIR/name.fmt) at the
# size the grid needs and sets pcols, prows, width, height and the font sizes.

pcols = npanel < maxcols ? npanel : maxcols
prows = int((npanel + pcols - 1) / pcols)
width = pcols * panel_w + 40
height = prows * panel_h + head
width = width > 3200 ? 3200 : width
height = height > 4000 ? 4000 : height
set encoding utf8
if (fmt eq "svg") {
	set terminal svg size width,height dynamic font "DejaVu Sans,13" background "white" noenhanced
} else {
	set terminal pngcairo size width,height font "DejaVu Sans,11" noenhanced
}
set output out_file
# The fraction of the height the title takes, for multiplot's margins.
head_frac = 1.0 * head / height
