/* views.h — the views.  Each draws into the box it is given, from `const app_state *`
 * and engine views, through render.h.  Hit tests share the geometry their drawing uses,
 * so hover always points at what is drawn. */
#ifndef GS_APP_VIEWS_H
#define GS_APP_VIEWS_H

#include "session/state.h"
#include "ui/render.h"

/* Per-frame caches the views keep (heatmap textures).  Owned by the app. */
typedef struct view_cache view_cache;
view_cache *view_cache_create(void);
void view_cache_destroy(view_cache *vc); /* NULL is a no-op */
/* Drop every texture (the renderer changed). */
void view_cache_invalidate(view_cache *vc);

/* ---- Heatmaps (view_heatmap.c) ------------------------------------------------------ */
void view_heatmaps(render_ctx *rc, view_cache *vc, const app_state *st, int pane);
/* The colour scale strip s of pane p is drawn with. */
cm_scale view_strip_scale(const app_state *st, int pane, int strip);
/* The engine value shown in a cell (NaN if the step is not computed). *shown = 0 when
 * the cell is blank (future step, or gradient not revealed). */
double view_cell_value(const app_state *st, int pane, int strip, int unit, int step, int *shown);
/* The legend (colour bars, glyphs) in the sidebar. */
void view_legend(render_ctx *rc, const app_state *st, box b);

/* ---- The sequence track (view_track.c) ------------------------------------------------ */
/* The input, target, prediction and loss rows over pane's heatmaps (pane_box.track). */
void view_track(render_ctx *rc, const app_state *st, int pane);
/* The hover text of the track (st->hover is HOV_TRACK): the step's input, its target,
 * what every shown variant says and what a click does; at most max lines. */
void view_track_tooltip(const app_state *st, char lines[][200], int max, int *n);
/* The typed task's text field, while it has the keyboard (st->edit.field). */
void view_text_field(render_ctx *rc, const app_state *st);
box view_text_field_box(const app_state *st);

/* ---- The cell diagram (view_cell.c) ------------------------------------------------- */
/* The parts (PART_*) are in session/hit.h. */
void view_cell(render_ctx *rc, const app_state *st, int pane, box b);
/* Pure geometry, shared with the drawing (view_hits.cell_part_at). */
int view_cell_part_at(const app_state *st, int pane, box b, int x, int y);

/* ---- Plots (view_plot.c) ------------------------------------------------------------ */
/* which: PLOT_DRIFT, PLOT_GRAD, PLOT_LOSS (session/hit.h). */
void view_plot(render_ctx *rc, const app_state *st, int which, box b);
/* Pure geometry, shared with the drawing (view_hits.plot_at): the step under x and the
 * pane whose line is nearest y; 0 if outside the plot area. */
int view_plot_hit(const app_state *st, int which, box b, int x, int y, int *step, int *pane);

/* ---- Equations, controls, help, tooltips ------------------------------------------- */
void view_equations(render_ctx *rc, const app_state *st, box b);
void view_topbar(render_ctx *rc, const app_state *st);
void view_sidebar(render_ctx *rc, const app_state *st);
void view_pane_frame(render_ctx *rc, const app_state *st, int pane);
void view_status(render_ctx *rc, const app_state *st);
void view_tooltip(render_ctx *rc, const app_state *st);
void view_help(render_ctx *rc, const app_state *st);
/* "Computing ..." while a setup change is being built. */
void view_busy(render_ctx *rc, const app_state *st);
/* The help overlay's rows, in order (keys, label, text); returns how many. */
int view_help_rows(const char **keys, const char **labels, const char **texts, int max);

/* ---- Training (view_train.c) ---------------------------------------------------------- */
/* The training panel in b (L->train): loss curves, baselines, the snapshot scrubber. */
void view_train(render_ctx *rc, const app_state *st, box b);
/* The scrubber track inside panel b (layout_train_panel: what the pointer hits). */
box view_train_scrubber(const app_state *st, box b);

/* ---- The lesson (view_lesson.c) --------------------------------------------------- */
/* The narrative panel: the lesson's title, progress, the step's heading and prose. */
void view_lesson(render_ctx *rc, const app_state *st);
/* The outline around what the step spotlights, the rest dimmed a little. */
void view_lesson_spotlight(render_ctx *rc, const app_state *st);
/* The top bar in presenter mode: the title and the step counter, no buttons. */
void view_lesson_bar(render_ctx *rc, const app_state *st);
/* The list of shipped lessons (the start screen). */
void view_lesson_list(render_ctx *rc, const app_state *st);
/* Height the step's heading and prose need at width w (fonts of the layout); *font
 * gets the prose font that fits nar_text (FONT_BODY, else FONT_SMALL). */
int view_lesson_text_height(render_ctx *rc, const app_state *st, int w, font_id prose_font);

/* ---- Number formatting shared by the views ---------------------------------------- */
/* "0.731", "-1.2e-05", "+inf", "NaN": short, honest. */
void fmt_value(char *buf, size_t len, double v);
/* Two significant digits, for ranges and ticks: "1", "0.079", "1.3e−05". */
void fmt_short(char *buf, size_t len, double v);

#endif
