/* kefu-chart.h — one small chart: a line or bars, with labels, hover values and a text
 * alternative
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  KEFU_CHART_KIND_LINE,      /* a line over the points, left to right (a trend) */
  KEFU_CHART_KIND_COLUMNS,   /* vertical bars, labels under them */
  KEFU_CHART_KIND_BARS,      /* horizontal bars, labels on the left (long labels) */
} KefuChartKind;

/* How values read on the axis and in the texts. */
typedef enum {
  KEFU_CHART_UNIT_COUNT,     /* 12 */
  KEFU_CHART_UNIT_SCORE,     /* 4.2 (satisfaction 1–5) */
  KEFU_CHART_UNIT_PERCENT,   /* 0.93 → 93 % */
} KefuChartUnit;

/* The colour of a bar or point, from the style's named colours. */
typedef enum {
  KEFU_CHART_TONE_ACCENT,
  KEFU_CHART_TONE_SUCCESS,
  KEFU_CHART_TONE_WARNING,
  KEFU_CHART_TONE_ERROR,
  KEFU_CHART_TONE_NEUTRAL,
  KEFU_CHART_N_TONES
} KefuChartTone;

typedef struct {
  const char    *label;       /* under or beside the point */
  double         value;       /* NAN: no value (a gap in a line, no bar) */
  const char    *value_text;  /* nullable: the value as shown (else formatted by the unit) */
  const char    *detail;      /* nullable: more words for the tooltip and the text alternative */
  KefuChartTone  tone;
} KefuChartPoint;

/* The colours a chart is drawn with: the widget takes them from its style (light, dark and
 * high contrast alike); kefu_chart_colors_init_print() gives those of a printed page. */
typedef struct {
  GdkRGBA foreground;
  GdkRGBA tones[KEFU_CHART_N_TONES];
} KefuChartColors;

#define KEFU_TYPE_CHART (kefu_chart_get_type ())
G_DECLARE_FINAL_TYPE (KefuChart, kefu_chart, KEFU, CHART, GtkWidget)

GtkWidget     *kefu_chart_new              (KefuChartKind          kind);

KefuChartKind  kefu_chart_get_kind         (KefuChart             *self);
void           kefu_chart_set_kind         (KefuChart             *self,
                                            KefuChartKind          kind);
KefuChartUnit  kefu_chart_get_unit         (KefuChart             *self);
void           kefu_chart_set_unit         (KefuChart             *self,
                                            KefuChartUnit          unit);
/* The chart's name, read by screen readers before the values ("Satisfaction trend"). */
const char    *kefu_chart_get_title        (KefuChart             *self);
void           kefu_chart_set_title        (KefuChart             *self,
                                            const char            *title);
/* The value range shown: from @min to @max; max 0 = from the data. */
void           kefu_chart_set_range        (KefuChart             *self,
                                            double                 min,
                                            double                 max);
/* What an empty chart says (default "No data for this period"). */
void           kefu_chart_set_empty_text   (KefuChart             *self,
                                            const char            *text);

/* Replaces the points (copied). A chart with no point, or no value, shows its empty text. */
void           kefu_chart_set_points       (KefuChart             *self,
                                            const KefuChartPoint  *points,
                                            guint                  n_points);
guint          kefu_chart_get_n_points     (KefuChart             *self);
gboolean       kefu_chart_is_empty         (KefuChart             *self);

/* "Label: value (detail)" of every point, one a line, after the title: the accessible
 * description of the widget. */
const char    *kefu_chart_get_text_alternative (KefuChart         *self);
/* The tooltip of point @index ("Tue 17 Nov: 4.3 (12 ratings)"), or NULL. */
char          *kefu_chart_dup_point_text   (KefuChart             *self,
                                            guint                  index);
/* The point under (x, y) in widget coordinates, or -1. */
int            kefu_chart_get_point_at     (KefuChart             *self,
                                            double                 x,
                                            double                 y);

/* Draws the chart into @cr in the box (0, 0, @width, @height): the widget draws with this
 * and so does the PDF report. @font (nullable) is the base font of the texts. */
void           kefu_chart_draw             (KefuChart             *self,
                                            cairo_t               *cr,
                                            double                 width,
                                            double                 height,
                                            const KefuChartColors *colors,
                                            const PangoFontDescription *font);

/* The colours of a printed page: dark grey text and calm tones on white. */
void           kefu_chart_colors_init_print (KefuChartColors      *colors);

/* A value as the unit shows it ("12", "4.2", "93 %"). */
char          *kefu_chart_format_value     (KefuChartUnit          unit,
                                            double                 value);

G_END_DECLS
