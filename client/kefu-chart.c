/* kefu-chart.c — one small chart: a line or bars, with labels, hover values and a text
 * alternative
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The drawing is one function over a cairo context (kefu_chart_draw()): the widget calls it
 * from its snapshot with the style's colours, the PDF report with the colours of paper. Texts
 * are Pango layouts, so Chinese labels render with the fonts the system has.
 */
#define G_LOG_DOMAIN "kefu-chart"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "kefu-chart.h"
#include "kefu-client-enums.h"

#define PAD         4.0
#define GAP         6.0
#define MAX_COLUMN  44.0
#define BAR_ROW_MAX 30.0

typedef struct {
  char          *label;
  double         value;
  char          *value_text;
  char          *detail;
  KefuChartTone  tone;
} Point;

struct _KefuChart
{
  GtkWidget      parent_instance;

  KefuChartKind  kind;
  KefuChartUnit  unit;
  char          *title;
  char          *empty_text;
  double         range_min;
  double         range_max;
  GArray        *points;       /* of Point */
  char          *text_alternative;

  /* Where each point was drawn last (widget coordinates), for hover and tooltips. */
  GArray        *hits;         /* of graphene_rect_t */
  int            hover;
};

G_DEFINE_FINAL_TYPE (KefuChart, kefu_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_KIND,
  PROP_UNIT,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
point_clear (gpointer data)
{
  Point *point = data;

  g_clear_pointer (&point->label, g_free);
  g_clear_pointer (&point->value_text, g_free);
  g_clear_pointer (&point->detail, g_free);
}

/* g_set_str() is GLib 2.76. */
static gboolean
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
has_value (const Point *point)
{
  return isfinite (point->value);
}

/* ---- texts ------------------------------------------------------------------------------- */

char *
kefu_chart_format_value (KefuChartUnit unit,
                         double        value)
{
  if (!isfinite (value))
    /* Translators: a value that cannot be computed (nothing to average) */
    return g_strdup (C_("value", "none"));

  switch (unit)
    {
    case KEFU_CHART_UNIT_PERCENT:
      /* Translators: a percentage; %.0f is the number, keep the %% */
      return g_strdup_printf (_("%.0f %%"), value * 100.0);

    case KEFU_CHART_UNIT_SCORE:
      return g_strdup_printf ("%.1f", value);

    case KEFU_CHART_UNIT_COUNT:
    default:
      if (fabs (value - round (value)) < 1e-9)
        return g_strdup_printf ("%.0f", value);
      return g_strdup_printf ("%.1f", value);
    }
}

static char *
point_value_text (KefuChart   *self,
                  const Point *point)
{
  if (point->value_text != NULL)
    return g_strdup (point->value_text);
  return kefu_chart_format_value (self->unit, point->value);
}

char *
kefu_chart_dup_point_text (KefuChart *self,
                           guint      index)
{
  const Point *point;
  g_autofree char *value = NULL;

  g_return_val_if_fail (KEFU_IS_CHART (self), NULL);

  if (index >= self->points->len)
    return NULL;

  point = &g_array_index (self->points, Point, index);
  value = point_value_text (self, point);
  if (point->detail != NULL)
    /* Translators: a chart value in a tooltip: "label: value (detail)" */
    return g_strdup_printf (_("%s: %s (%s)"), point->label, value, point->detail);
  /* Translators: a chart value in a tooltip: "label: value" */
  return g_strdup_printf (_("%s: %s"), point->label, value);
}

gboolean
kefu_chart_is_empty (KefuChart *self)
{
  g_return_val_if_fail (KEFU_IS_CHART (self), TRUE);

  for (guint i = 0; i < self->points->len; i++)
    if (has_value (&g_array_index (self->points, Point, i)))
      return FALSE;
  return TRUE;
}

static void
update_text_alternative (KefuChart *self)
{
  GString *text = g_string_new (NULL);

  if (kefu_chart_is_empty (self))
    {
      g_string_append (text, self->empty_text);
    }
  else
    {
      for (guint i = 0; i < self->points->len; i++)
        {
          g_autofree char *line = kefu_chart_dup_point_text (self, i);

          if (text->len > 0)
            g_string_append (text, "\n");
          g_string_append (text, line);
        }
    }

  g_free (self->text_alternative);
  self->text_alternative = g_string_free (text, FALSE);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->title != NULL ? self->title : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->text_alternative,
                                  -1);
}

const char *
kefu_chart_get_text_alternative (KefuChart *self)
{
  g_return_val_if_fail (KEFU_IS_CHART (self), NULL);

  return self->text_alternative;
}

/* ---- drawing ----------------------------------------------------------------------------- */

void
kefu_chart_colors_init_print (KefuChartColors *colors)
{
  g_return_if_fail (colors != NULL);

  gdk_rgba_parse (&colors->foreground, "#2e3436");
  gdk_rgba_parse (&colors->tones[KEFU_CHART_TONE_ACCENT], "#3584e4");
  gdk_rgba_parse (&colors->tones[KEFU_CHART_TONE_SUCCESS], "#2ec27e");
  gdk_rgba_parse (&colors->tones[KEFU_CHART_TONE_WARNING], "#e5a50a");
  gdk_rgba_parse (&colors->tones[KEFU_CHART_TONE_ERROR], "#e01b24");
  gdk_rgba_parse (&colors->tones[KEFU_CHART_TONE_NEUTRAL], "#9a9996");
}

static void
set_color (cairo_t       *cr,
           const GdkRGBA *color,
           double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static PangoLayout *
make_layout (cairo_t                    *cr,
             const PangoFontDescription *base,
             double                      scale,
             gboolean                    bold,
             const char                 *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = NULL;
  int size;

  font = base != NULL ? pango_font_description_copy (base)
                      : pango_font_description_from_string ("Sans 10");
  size = pango_font_description_get_size (font);
  if (size <= 0)
    size = 10 * PANGO_SCALE;
  if (pango_font_description_get_size_is_absolute (font))
    pango_font_description_set_absolute_size (font, size * scale);
  else
    pango_font_description_set_size (font, (int) (size * scale));
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static void
layout_size (PangoLayout *layout,
             double      *width,
             double      *height)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  if (width != NULL)
    *width = (double) logical.width / PANGO_SCALE;
  if (height != NULL)
    *height = (double) logical.height / PANGO_SCALE;
}

/* Draws @layout with its box's (@xalign, @yalign) point at (x, y). */
static void
show_layout (cairo_t     *cr,
             PangoLayout *layout,
             double       x,
             double       y,
             double       xalign,
             double       yalign)
{
  double width;
  double height;

  layout_size (layout, &width, &height);
  cairo_move_to (cr, x - width * xalign, y - height * yalign);
  pango_cairo_show_layout (cr, layout);
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   width,
              double   height,
              double   radius)
{
  radius = MIN (radius, MIN (width, height) / 2.0);
  if (radius <= 0.5)
    {
      cairo_rectangle (cr, x, y, width, height);
      return;
    }

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* A round step for about @n_steps grid lines up to @max: 1, 2, 5 × 10^k. */
static double
nice_step (double max,
           int    n_steps)
{
  double raw = max / n_steps;
  double magnitude = pow (10.0, floor (log10 (raw)));
  double normal = raw / magnitude;

  if (normal <= 1.0)
    return magnitude;
  if (normal <= 2.0)
    return 2 * magnitude;
  if (normal <= 5.0)
    return 5 * magnitude;
  return 10 * magnitude;
}

static void
value_range (KefuChart *self,
             double    *min,
             double    *max,
             double    *step)
{
  double top = 0.0;

  *min = self->range_min;
  for (guint i = 0; i < self->points->len; i++)
    {
      const Point *point = &g_array_index (self->points, Point, i);

      if (has_value (point))
        top = MAX (top, point->value);
    }

  if (self->range_max > self->range_min)
    {
      *max = MAX (self->range_max, top);
      if (self->unit == KEFU_CHART_UNIT_PERCENT)
        *step = 0.25;
      else
        *step = nice_step (*max - *min, 4);
      return;
    }

  if (top <= *min)
    top = *min + 1.0;
  *step = nice_step (top - *min, 4);
  if (self->unit == KEFU_CHART_UNIT_COUNT && *step < 1.0)
    *step = 1.0;
  *max = *min + ceil ((top - *min) / *step - 1e-9) * *step;
}

static void
draw_empty (KefuChart                  *self,
            cairo_t                    *cr,
            double                      width,
            double                      height,
            const KefuChartColors      *colors,
            const PangoFontDescription *font)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, font, 1.0, FALSE, self->empty_text);

  pango_layout_set_width (layout, (int) (MAX (width - 2 * PAD, 1) * PANGO_SCALE));
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);

  /* A faint baseline, so that the card does not look broken. */
  set_color (cr, &colors->foreground, 0.12);
  cairo_rectangle (cr, PAD, height - PAD - 1, width - 2 * PAD, 1);
  cairo_fill (cr);

  set_color (cr, &colors->foreground, 0.55);
  show_layout (cr, layout, PAD, height / 2, 0.0, 0.5);
}

static void
add_hit (GArray *hits,
         double  x,
         double  y,
         double  width,
         double  height)
{
  graphene_rect_t rect;

  if (hits == NULL)
    return;
  graphene_rect_init (&rect, x, y, width, height);
  g_array_append_val (hits, rect);
}

/* Vertical axis with grid lines; returns the plot box. */
static void
draw_grid (KefuChart                  *self,
           cairo_t                    *cr,
           const KefuChartColors      *colors,
           const PangoFontDescription *font,
           double                      left,
           double                      top,
           double                      right,
           double                      bottom,
           double                      min,
           double                      max,
           double                      step)
{
  for (double v = min; v <= max + step / 1000; v += step)
    {
      double y = round (bottom - (v - min) / (max - min) * (bottom - top)) + 0.5;
      g_autofree char *text = kefu_chart_format_value (self->unit == KEFU_CHART_UNIT_SCORE
                                                       && fabs (step - round (step)) < 1e-9
                                                       ? KEFU_CHART_UNIT_COUNT : self->unit, v);
      g_autoptr(PangoLayout) layout = make_layout (cr, font, 0.8, FALSE, text);

      set_color (cr, &colors->foreground, v == min ? 0.25 : 0.1);
      cairo_set_line_width (cr, 1.0);
      cairo_move_to (cr, left, y);
      cairo_line_to (cr, right, y);
      cairo_stroke (cr);

      set_color (cr, &colors->foreground, 0.6);
      show_layout (cr, layout, left - GAP, y, 1.0, 0.5);
    }
}

static double
axis_width (KefuChart                  *self,
            cairo_t                    *cr,
            const PangoFontDescription *font,
            double                      min,
            double                      max,
            double                      step)
{
  double widest = 0.0;

  for (double v = min; v <= max + step / 1000; v += step)
    {
      g_autofree char *text = kefu_chart_format_value (self->unit, v);
      g_autoptr(PangoLayout) layout = make_layout (cr, font, 0.8, FALSE, text);
      double width;

      layout_size (layout, &width, NULL);
      widest = MAX (widest, width);
    }

  return ceil (widest);
}

static void
draw_vertical (KefuChart                  *self,
               cairo_t                    *cr,
               double                      width,
               double                      height,
               const KefuChartColors      *colors,
               const PangoFontDescription *font,
               int                         hover,
               GArray                     *hits)
{
  guint n = self->points->len;
  gboolean line = self->kind == KEFU_CHART_KIND_LINE;
  g_autoptr(PangoLayout) probe = make_layout (cr, font, 0.8, FALSE, "Ag 8");
  double text_height;
  double min, max, step;
  double left, top, right, bottom;
  double slot;
  guint label_every = 1;
  gboolean show_values;

  layout_size (probe, NULL, &text_height);
  value_range (self, &min, &max, &step);

  left = PAD + axis_width (self, cr, font, min, max, step) + GAP;
  /* Room above the highest value for its label. */
  top = PAD + text_height + 4;
  right = width - PAD;
  bottom = height - PAD - text_height - GAP;
  if (right - left < 10 || bottom - top < 10)
    return;

  slot = (right - left) / n;

  /* Labels under the axis: every k-th one when they would touch. */
  {
    double widest = 0.0;

    for (guint i = 0; i < n; i++)
      {
        g_autoptr(PangoLayout) layout = make_layout (cr, font, 0.8, FALSE,
                                                     g_array_index (self->points, Point,
                                                                    i).label);
        double w;

        layout_size (layout, &w, NULL);
        widest = MAX (widest, w);
      }
    while (label_every < n && slot * label_every < widest + GAP)
      label_every++;
  }
  show_values = !line || slot > 34;

  draw_grid (self, cr, colors, font, left, top, right, bottom, min, max, step);

  /* The hovered slot, under everything. */
  if (hover >= 0 && (guint) hover < n)
    {
      set_color (cr, &colors->foreground, 0.06);
      rounded_rect (cr, left + slot * hover, top - text_height * 0.4, slot,
                    bottom - top + text_height * 0.4, 6);
      cairo_fill (cr);
    }

  if (line)
    {
      const GdkRGBA *accent = &colors->tones[KEFU_CHART_TONE_ACCENT];
      gboolean drawing = FALSE;
      double first_x = 0;
      double last_x = 0;

      /* The area under each unbroken run, then the line, then the dots. */
      for (int pass = 0; pass < 2; pass++)
        {
          drawing = FALSE;
          for (guint i = 0; i <= n; i++)
            {
              const Point *point = i < n ? &g_array_index (self->points, Point, i) : NULL;
              double x = left + slot * (i + 0.5);
              double y;

              if (point == NULL || !has_value (point))
                {
                  if (drawing)
                    {
                      if (pass == 0)
                        {
                          cairo_line_to (cr, last_x, bottom);
                          cairo_line_to (cr, first_x, bottom);
                          cairo_close_path (cr);
                          set_color (cr, accent, 0.14);
                          cairo_fill (cr);
                        }
                      else
                        {
                          set_color (cr, accent, 1.0);
                          cairo_set_line_width (cr, 2.0);
                          cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
                          cairo_stroke (cr);
                        }
                    }
                  drawing = FALSE;
                  continue;
                }

              y = bottom - (CLAMP (point->value, min, max) - min) / (max - min) * (bottom - top);
              if (!drawing)
                {
                  cairo_move_to (cr, x, y);
                  first_x = x;
                }
              else
                {
                  cairo_line_to (cr, x, y);
                }
              last_x = x;
              drawing = TRUE;
            }
        }

      for (guint i = 0; i < n; i++)
        {
          const Point *point = &g_array_index (self->points, Point, i);
          double x = left + slot * (i + 0.5);
          double y;

          if (!has_value (point))
            continue;
          y = bottom - (CLAMP (point->value, min, max) - min) / (max - min) * (bottom - top);
          set_color (cr, &colors->tones[point->tone], 1.0);
          cairo_arc (cr, x, y, (int) i == hover ? 5.0 : 3.5, 0, 2 * G_PI);
          cairo_fill (cr);

          if (show_values || (int) i == hover)
            {
              g_autofree char *text = point_value_text (self, point);
              g_autoptr(PangoLayout) layout = make_layout (cr, font, 0.8, (int) i == hover,
                                                           text);

              set_color (cr, &colors->foreground, 0.8);
              show_layout (cr, layout, x, MAX (y - 6, text_height * 0.5), 0.5, 1.0);
            }
        }
    }
  else
    {
      double bar = MIN (slot * 0.62, MAX_COLUMN);

      for (guint i = 0; i < n; i++)
        {
          const Point *point = &g_array_index (self->points, Point, i);
          double x = left + slot * i + (slot - bar) / 2;
          double y;
          g_autofree char *text = NULL;
          g_autoptr(PangoLayout) layout = NULL;

          if (!has_value (point))
            continue;

          y = bottom - (CLAMP (point->value, min, max) - min) / (max - min) * (bottom - top);
          set_color (cr, &colors->tones[point->tone], (int) i == hover ? 1.0 : 0.88);
          if (bottom - y >= 1.0)
            {
              /* Rounded at the top only: the bottom corners go below the axis, clipped. */
              cairo_save (cr);
              cairo_rectangle (cr, x - 1, top - text_height, bar + 2, bottom - top + text_height);
              cairo_clip (cr);
              rounded_rect (cr, x, y, bar, bottom - y + 4, 4);
              cairo_fill (cr);
              cairo_restore (cr);
            }

          if (show_values)
            {
              text = point_value_text (self, point);
              layout = make_layout (cr, font, 0.8, (int) i == hover, text);
              set_color (cr, &colors->foreground, 0.8);
              show_layout (cr, layout, x + bar / 2, y - 2, 0.5, 1.0);
            }
        }
    }

  /* The labels, ellipsised to their slot. */
  for (guint i = 0; i < n; i++)
    {
      const Point *point = &g_array_index (self->points, Point, i);
      double x = left + slot * i;

      add_hit (hits, x, top - text_height * 0.5, slot, height - top + text_height * 0.5);

      if (i % label_every == 0)
        {
          g_autoptr(PangoLayout) layout = make_layout (cr, font, 0.8, (int) i == hover,
                                                       point->label);
          double w = slot * label_every - 2;

          pango_layout_set_width (layout, (int) (MAX (w, 8) * PANGO_SCALE));
          pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
          pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
          set_color (cr, &colors->foreground, 0.7);
          cairo_move_to (cr, x + slot / 2 - w / 2, bottom + GAP);
          pango_cairo_show_layout (cr, layout);
        }
    }
}

static void
draw_bars (KefuChart                  *self,
           cairo_t                    *cr,
           double                      width,
           double                      height,
           const KefuChartColors      *colors,
           const PangoFontDescription *font,
           int                         hover,
           GArray                     *hits)
{
  guint n = self->points->len;
  double min, max, step;
  double label_width = 0.0;
  double value_width = 0.0;
  double row;
  double left;
  double right;
  double top = PAD;

  value_range (self, &min, &max, &step);
  if (self->range_max <= self->range_min)
    {
      /* Bars end at the largest value: no grid to round to. */
      max = min;
      for (guint i = 0; i < n; i++)
        if (has_value (&g_array_index (self->points, Point, i)))
          max = MAX (max, g_array_index (self->points, Point, i).value);
      if (max <= min)
        max = min + 1;
    }

  for (guint i = 0; i < n; i++)
    {
      const Point *point = &g_array_index (self->points, Point, i);
      g_autoptr(PangoLayout) label = make_layout (cr, font, 0.85, FALSE, point->label);
      g_autofree char *text = point_value_text (self, point);
      g_autoptr(PangoLayout) value = make_layout (cr, font, 0.85, TRUE, text);
      double w;

      layout_size (label, &w, NULL);
      label_width = MAX (label_width, w);
      layout_size (value, &w, NULL);
      value_width = MAX (value_width, w);
    }

  label_width = MIN (ceil (label_width), width * 0.4);
  left = PAD + label_width + GAP * 1.5;
  right = width - PAD - value_width - GAP;
  if (right - left < 10)
    return;

  row = MIN ((height - 2 * PAD) / n, BAR_ROW_MAX);

  for (guint i = 0; i < n; i++)
    {
      const Point *point = &g_array_index (self->points, Point, i);
      double y = top + row * i;
      double thickness = MIN (row * 0.6, 18);
      double bar_y = y + (row - thickness) / 2;
      double length;
      g_autoptr(PangoLayout) label = make_layout (cr, font, 0.85, (int) i == hover, point->label);
      g_autofree char *text = point_value_text (self, point);
      g_autoptr(PangoLayout) value = make_layout (cr, font, 0.85, TRUE, text);

      add_hit (hits, 0, y, width, row);

      if ((int) i == hover)
        {
          set_color (cr, &colors->foreground, 0.06);
          rounded_rect (cr, 0, y, width, row, 6);
          cairo_fill (cr);
        }

      pango_layout_set_width (label, (int) (label_width * PANGO_SCALE));
      pango_layout_set_ellipsize (label, PANGO_ELLIPSIZE_END);
      set_color (cr, &colors->foreground, 0.8);
      show_layout (cr, label, PAD, y + row / 2, 0.0, 0.5);

      /* The track, then the bar. */
      set_color (cr, &colors->foreground, 0.07);
      rounded_rect (cr, left, bar_y, right - left, thickness, thickness / 3);
      cairo_fill (cr);

      if (!has_value (point))
        continue;

      length = (CLAMP (point->value, min, max) - min) / (max - min) * (right - left);
      if (length >= 1.0)
        {
          set_color (cr, &colors->tones[point->tone], (int) i == hover ? 1.0 : 0.88);
          rounded_rect (cr, left, bar_y, length, thickness, thickness / 3);
          cairo_fill (cr);
        }

      set_color (cr, &colors->foreground, 0.85);
      show_layout (cr, value, right + GAP, y + row / 2, 0.0, 0.5);
    }
}

static void
draw_internal (KefuChart                  *self,
               cairo_t                    *cr,
               double                      width,
               double                      height,
               const KefuChartColors      *colors,
               const PangoFontDescription *font,
               int                         hover,
               GArray                     *hits)
{
  if (hits != NULL)
    g_array_set_size (hits, 0);

  if (width < 2 * PAD + 20 || height < 2 * PAD + 20)
    return;

  cairo_save (cr);
  if (kefu_chart_is_empty (self))
    draw_empty (self, cr, width, height, colors, font);
  else if (self->kind == KEFU_CHART_KIND_BARS)
    draw_bars (self, cr, width, height, colors, font, hover, hits);
  else
    draw_vertical (self, cr, width, height, colors, font, hover, hits);
  cairo_restore (cr);
}

void
kefu_chart_draw (KefuChart                  *self,
                 cairo_t                    *cr,
                 double                      width,
                 double                      height,
                 const KefuChartColors      *colors,
                 const PangoFontDescription *font)
{
  KefuChartColors print;

  g_return_if_fail (KEFU_IS_CHART (self));
  g_return_if_fail (cr != NULL);

  if (colors == NULL)
    {
      kefu_chart_colors_init_print (&print);
      colors = &print;
    }

  draw_internal (self, cr, width, height, colors, font, -1, NULL);
}

/* ---- the widget -------------------------------------------------------------------------- */

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static void
style_colors (KefuChart       *self,
              KefuChartColors *colors)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  static const char *names[KEFU_CHART_N_TONES] = {
    "accent_bg_color", "success_bg_color", "warning_bg_color", "error_bg_color", NULL,
  };
  KefuChartColors fallback;

  kefu_chart_colors_init_print (&fallback);
  gtk_style_context_get_color (context, &colors->foreground);

  for (guint i = 0; i < KEFU_CHART_N_TONES; i++)
    {
      if (names[i] == NULL || !gtk_style_context_lookup_color (context, names[i],
                                                               &colors->tones[i]))
        colors->tones[i] = fallback.tones[i];
    }
  /* Neutral follows the text: grey on light and on dark alike. */
  colors->tones[KEFU_CHART_TONE_NEUTRAL] = colors->foreground;
  colors->tones[KEFU_CHART_TONE_NEUTRAL].alpha *= 0.4;
}
G_GNUC_END_IGNORE_DEPRECATIONS

static void
kefu_chart_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  KefuChart *self = KEFU_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  KefuChartColors colors;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  style_colors (self, &colors);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw_internal (self, cr, width, height, &colors,
                 pango_context_get_font_description (gtk_widget_get_pango_context (widget)),
                 self->hover, self->hits);
  cairo_destroy (cr);
}

static void
kefu_chart_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  KefuChart *self = KEFU_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 160;
      *natural = 360;
    }
  else if (self->kind == KEFU_CHART_KIND_BARS)
    {
      int rows = MAX ((int) self->points->len, 3);

      *minimum = 2 * PAD + rows * 22;
      *natural = MAX (180, 2 * (int) PAD + rows * (int) BAR_ROW_MAX);
    }
  else
    {
      *minimum = 120;
      *natural = 180;
    }
}

int
kefu_chart_get_point_at (KefuChart *self,
                         double     x,
                         double     y)
{
  g_return_val_if_fail (KEFU_IS_CHART (self), -1);

  for (guint i = 0; i < self->hits->len; i++)
    {
      graphene_rect_t *rect = &g_array_index (self->hits, graphene_rect_t, i);

      if (graphene_rect_contains_point (rect, &GRAPHENE_POINT_INIT (x, y)))
        return (int) i;
    }

  return -1;
}

static void
set_hover (KefuChart *self,
           int        hover)
{
  if (self->hover == hover)
    return;
  self->hover = hover;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           KefuChart                *self)
{
  set_hover (self, kefu_chart_get_point_at (self, x, y));
}

static void
on_leave (GtkEventControllerMotion *controller,
          KefuChart                *self)
{
  set_hover (self, -1);
}

static gboolean
kefu_chart_query_tooltip (GtkWidget  *widget,
                          int         x,
                          int         y,
                          gboolean    keyboard_tooltip,
                          GtkTooltip *tooltip)
{
  KefuChart *self = KEFU_CHART (widget);
  g_autofree char *text = NULL;
  graphene_rect_t *rect;
  int index;

  if (keyboard_tooltip)
    {
      if (kefu_chart_is_empty (self))
        return FALSE;
      gtk_tooltip_set_text (tooltip, self->text_alternative);
      return TRUE;
    }

  index = kefu_chart_get_point_at (self, x, y);
  if (index < 0)
    return FALSE;

  text = kefu_chart_dup_point_text (self, index);
  rect = &g_array_index (self->hits, graphene_rect_t, index);
  gtk_tooltip_set_text (tooltip, text);
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) {
                              (int) rect->origin.x, (int) rect->origin.y,
                              (int) rect->size.width, (int) rect->size.height });
  return TRUE;
}

static void
kefu_chart_css_changed (GtkWidget         *widget,
                        GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (kefu_chart_parent_class)->css_changed (widget, change);
  /* Dark, light, high contrast: the colours come from the style. */
  gtk_widget_queue_draw (widget);
}

/* ---- public API -------------------------------------------------------------------------- */

GtkWidget *
kefu_chart_new (KefuChartKind kind)
{
  return g_object_new (KEFU_TYPE_CHART, "kind", kind, NULL);
}

KefuChartKind
kefu_chart_get_kind (KefuChart *self)
{
  g_return_val_if_fail (KEFU_IS_CHART (self), KEFU_CHART_KIND_LINE);

  return self->kind;
}

void
kefu_chart_set_kind (KefuChart     *self,
                     KefuChartKind  kind)
{
  g_return_if_fail (KEFU_IS_CHART (self));
  g_return_if_fail (kind <= KEFU_CHART_KIND_BARS);

  if (self->kind == kind)
    return;
  self->kind = kind;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

KefuChartUnit
kefu_chart_get_unit (KefuChart *self)
{
  g_return_val_if_fail (KEFU_IS_CHART (self), KEFU_CHART_UNIT_COUNT);

  return self->unit;
}

void
kefu_chart_set_unit (KefuChart     *self,
                     KefuChartUnit  unit)
{
  g_return_if_fail (KEFU_IS_CHART (self));
  g_return_if_fail (unit <= KEFU_CHART_UNIT_PERCENT);

  if (self->unit == unit)
    return;
  self->unit = unit;
  update_text_alternative (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNIT]);
}

const char *
kefu_chart_get_title (KefuChart *self)
{
  g_return_val_if_fail (KEFU_IS_CHART (self), NULL);

  return self->title;
}

void
kefu_chart_set_title (KefuChart  *self,
                      const char *title)
{
  g_return_if_fail (KEFU_IS_CHART (self));

  if (!set_str (&self->title, title))
    return;
  update_text_alternative (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

void
kefu_chart_set_range (KefuChart *self,
                      double     min,
                      double     max)
{
  g_return_if_fail (KEFU_IS_CHART (self));

  self->range_min = min;
  self->range_max = max;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
kefu_chart_set_empty_text (KefuChart  *self,
                           const char *text)
{
  g_return_if_fail (KEFU_IS_CHART (self));
  g_return_if_fail (text != NULL);

  if (!set_str (&self->empty_text, text))
    return;
  update_text_alternative (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
kefu_chart_set_points (KefuChart            *self,
                       const KefuChartPoint *points,
                       guint                 n_points)
{
  g_return_if_fail (KEFU_IS_CHART (self));
  g_return_if_fail (points != NULL || n_points == 0);

  g_array_set_size (self->points, 0);
  g_array_set_size (self->hits, 0);
  self->hover = -1;

  for (guint i = 0; i < n_points; i++)
    {
      Point point = {
        .label = g_strdup (points[i].label != NULL ? points[i].label : ""),
        .value = points[i].value,
        .value_text = g_strdup (points[i].value_text),
        .detail = g_strdup (points[i].detail),
        .tone = points[i].tone < KEFU_CHART_N_TONES ? points[i].tone : KEFU_CHART_TONE_ACCENT,
      };

      g_array_append_val (self->points, point);
    }

  update_text_alternative (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
kefu_chart_get_n_points (KefuChart *self)
{
  g_return_val_if_fail (KEFU_IS_CHART (self), 0);

  return self->points->len;
}

/* ---- GObject ----------------------------------------------------------------------------- */

static void
kefu_chart_finalize (GObject *object)
{
  KefuChart *self = KEFU_CHART (object);

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->hits, g_array_unref);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->empty_text, g_free);
  g_clear_pointer (&self->text_alternative, g_free);

  G_OBJECT_CLASS (kefu_chart_parent_class)->finalize (object);
}

static void
kefu_chart_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KefuChart *self = KEFU_CHART (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_UNIT:
      g_value_set_enum (value, self->unit);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_chart_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  KefuChart *self = KEFU_CHART (object);

  switch (prop_id)
    {
    case PROP_KIND:
      kefu_chart_set_kind (self, g_value_get_enum (value));
      break;

    case PROP_UNIT:
      kefu_chart_set_unit (self, g_value_get_enum (value));
      break;

    case PROP_TITLE:
      kefu_chart_set_title (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_chart_class_init (KefuChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = kefu_chart_finalize;
  object_class->get_property = kefu_chart_get_property;
  object_class->set_property = kefu_chart_set_property;

  widget_class->snapshot = kefu_chart_snapshot;
  widget_class->measure = kefu_chart_measure;
  widget_class->query_tooltip = kefu_chart_query_tooltip;
  widget_class->css_changed = kefu_chart_css_changed;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       KEFU_TYPE_CHART_KIND, KEFU_CHART_KIND_LINE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_UNIT] =
    g_param_spec_enum ("unit", NULL, NULL,
                       KEFU_TYPE_CHART_UNIT, KEFU_CHART_UNIT_COUNT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "kefuchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
kefu_chart_init (KefuChart *self)
{
  GtkEventController *motion;

  self->points = g_array_new (FALSE, TRUE, sizeof (Point));
  g_array_set_clear_func (self->points, point_clear);
  self->hits = g_array_new (FALSE, TRUE, sizeof (graphene_rect_t));
  self->hover = -1;
  self->empty_text = g_strdup (_("No data for this period"));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  update_text_alternative (self);
}
