/* kefu-ticket-text.c — a ticket's words and times as people read them, translated
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "kefu-error.h"
#include "kefu-ticket-text.h"

void
kefu_ticket_text_ensure_style (void)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (loaded || display == NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/org/kefu/Kefu/kefu-ticket.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  loaded = TRUE;
}

const char *
kefu_text_channel (KefuChannel channel)
{
  switch (channel)
    {
    case KEFU_CHANNEL_PHONE:
      return C_("channel", "Phone");
    case KEFU_CHANNEL_ONLINE:
      /* Translators: web or in-app chat with an agent (在线客服) */
      return C_("channel", "Online Chat");
    case KEFU_CHANNEL_EMAIL:
      return C_("channel", "Email");
    case KEFU_CHANNEL_WEB_FORM:
      return C_("channel", "Web Form");
    case KEFU_CHANNEL_SOCIAL:
      return C_("channel", "Social Media");
    case KEFU_CHANNEL_PLATFORM:
      /* Translators: a third-party marketplace (第三方平台) */
      return C_("channel", "Third-Party Platform");
    case KEFU_CHANNEL_APP:
      return C_("channel", "App");
    case KEFU_CHANNEL_ONSITE:
      /* Translators: the customer came in person, or met a technician on site (现场) */
      return C_("channel", "On Site");
    case KEFU_CHANNEL_LAST:
    default:
      return NULL;
    }
}

const char *
kefu_text_stage (KefuStage stage)
{
  switch (stage)
    {
    case KEFU_STAGE_PRE_SALE:
      return C_("stage", "Pre-Sale");
    case KEFU_STAGE_IN_SALE:
      /* Translators: while the order is being fulfilled (售中) */
      return C_("stage", "In Sale");
    case KEFU_STAGE_AFTER_SALE:
      return C_("stage", "After-Sale");
    case KEFU_STAGE_LAST:
    default:
      return NULL;
    }
}

const char *
kefu_text_category (KefuCategory category)
{
  switch (category)
    {
    case KEFU_CATEGORY_QUALITY:
      return C_("category", "Quality");
    case KEFU_CATEGORY_LOGISTICS:
      return C_("category", "Logistics");
    case KEFU_CATEGORY_SERVICE:
      return C_("category", "Service");
    case KEFU_CATEGORY_CONSULTATION:
      return C_("category", "Consultation");
    case KEFU_CATEGORY_COMPLAINT:
      return C_("category", "Complaint or Suggestion");
    case KEFU_CATEGORY_LAST:
    default:
      return NULL;
    }
}

const char *
kefu_text_category_hint (KefuCategory category)
{
  switch (category)
    {
    case KEFU_CATEGORY_QUALITY:
      return _("Faults, substandard function, missing parts");
    case KEFU_CATEGORY_LOGISTICS:
      return _("Late, damaged, wrong or missing items");
    case KEFU_CATEGORY_SERVICE:
      return _("Attitude, slowness, cumbersome process");
    case KEFU_CATEGORY_CONSULTATION:
      return _("How to use, policies");
    case KEFU_CATEGORY_COMPLAINT:
      return _("Complaints and suggestions for improvement");
    case KEFU_CATEGORY_LAST:
    default:
      return NULL;
    }
}

const char *
kefu_text_status (KefuStatus status)
{
  switch (status)
    {
    case KEFU_STATUS_NEW:
      return C_("status", "New");
    case KEFU_STATUS_ASSIGNED:
      return C_("status", "Assigned");
    case KEFU_STATUS_ACCEPTED:
      return C_("status", "Accepted");
    case KEFU_STATUS_IN_PROGRESS:
      return C_("status", "In Progress");
    case KEFU_STATUS_WAITING_CUSTOMER:
      return C_("status", "Waiting for Customer");
    case KEFU_STATUS_WAITING_PARTS:
      return C_("status", "Waiting for Parts");
    case KEFU_STATUS_RESOLVED:
      return C_("status", "Resolved");
    case KEFU_STATUS_CLOSED:
      return C_("status", "Closed");
    case KEFU_STATUS_REOPENED:
      return C_("status", "Reopened");
    case KEFU_STATUS_CANCELLED:
      return C_("status", "Cancelled");
    case KEFU_STATUS_LAST:
    default:
      return NULL;
    }
}

const char *
kefu_text_status_word (const char *word)
{
  KefuStatus status;

  if (word == NULL)
    return NULL;
  if (kefu_status_from_string (word, &status))
    return kefu_text_status (status);
  return word;
}

const char *
kefu_text_priority (int priority)
{
  switch (priority)
    {
    case 1:
      return C_("priority", "P1 · Urgent");
    case 2:
      return C_("priority", "P2 · High");
    case 3:
      return C_("priority", "P3 · Medium");
    case 4:
      return C_("priority", "P4 · Low");
    default:
      return NULL;
    }
}

const char *
kefu_text_priority_name (int priority)
{
  switch (priority)
    {
    case 1:
      return C_("priority", "Urgent");
    case 2:
      return C_("priority", "High");
    case 3:
      return C_("priority", "Medium");
    case 4:
      return C_("priority", "Low");
    default:
      return NULL;
    }
}

const char *
kefu_text_priority_meaning (int priority)
{
  switch (priority)
    {
    case 1:
      return _("Core use blocked: an appliance will not start, an order cannot be received");
    case 2:
      return _("Experience affected: a function misbehaves, a delivery is over 3 days late");
    case 3:
      return _("A general question or suggestion");
    case 4:
      return _("A non-urgent update of information");
    default:
      return NULL;
    }
}

const char *
kefu_text_resolution_kind (KefuResolutionKind kind)
{
  switch (kind)
    {
    case KEFU_RESOLUTION_REPAIR:
      return C_("resolution", "Repair");
    case KEFU_RESOLUTION_REPLACE:
      return C_("resolution", "Replacement");
    case KEFU_RESOLUTION_RETURN_REFUND:
      return C_("resolution", "Return and Refund");
    case KEFU_RESOLUTION_EXCHANGE:
      return C_("resolution", "Exchange");
    case KEFU_RESOLUTION_RESHIP:
      return C_("resolution", "Reshipment");
    case KEFU_RESOLUTION_PARTIAL_REFUND:
      return C_("resolution", "Partial Refund");
    case KEFU_RESOLUTION_COMPENSATION:
      return C_("resolution", "Compensation");
    case KEFU_RESOLUTION_COUPON:
      return C_("resolution", "Coupon");
    case KEFU_RESOLUTION_APOLOGY:
      return C_("resolution", "Apology");
    case KEFU_RESOLUTION_GUIDANCE:
      return C_("resolution", "Guidance");
    case KEFU_RESOLUTION_OTHER:
      return C_("resolution", "Other");
    case KEFU_RESOLUTION_LAST:
    default:
      return NULL;
    }
}

const char *
kefu_text_sla_clock (KefuSlaClock clock)
{
  switch (clock)
    {
    case KEFU_SLA_CLOCK_RESPONSE:
      return C_("deadline", "First response");
    case KEFU_SLA_CLOCK_RESOLVE:
      return C_("deadline", "Resolution");
    case KEFU_SLA_CLOCK_ACCEPT:
      return C_("deadline", "Acceptance");
    case KEFU_SLA_CLOCK_UPDATE:
      return C_("deadline", "Progress update");
    case KEFU_SLA_CLOCK_CONFIRM:
      return C_("deadline", "Confirmation call");
    case KEFU_SLA_CLOCK_RETURN_REVIEW:
      return C_("deadline", "Return review");
    case KEFU_SLA_CLOCK_RETURN_PICKUP:
      return C_("deadline", "Return pickup");
    case KEFU_SLA_CLOCK_LAST:
    default:
      return NULL;
    }
}

const char *
kefu_text_cancel_reason (KefuCancelReason reason)
{
  switch (reason)
    {
    case KEFU_CANCEL_REASON_DUPLICATE:
      return C_("cancel reason", "Duplicate");
    case KEFU_CANCEL_REASON_SPAM:
      return C_("cancel reason", "Spam");
    case KEFU_CANCEL_REASON_WITHDRAWN:
      return C_("cancel reason", "Withdrawn by the customer");
    case KEFU_CANCEL_REASON_LAST:
    default:
      return NULL;
    }
}

const char *
kefu_text_department (const char *code)
{
  if (code == NULL)
    return NULL;
  if (g_str_equal (code, "customer_service"))
    return C_("department", "Customer Service");
  if (g_str_equal (code, "technical"))
    return C_("department", "Technical");
  if (g_str_equal (code, "logistics"))
    return C_("department", "Logistics & Warehouse");
  if (g_str_equal (code, "product"))
    return C_("department", "Product");
  if (g_str_equal (code, "quality"))
    return C_("department", "Quality Control");
  return code;
}

const char *
kefu_text_field (const char *field)
{
  static const struct {
    const char *field;
    const char *label;
  } fields[] = {
    { "channel", NC_("field", "Channel") },
    { "stage", NC_("field", "Stage") },
    { "category", NC_("field", "Category") },
    { "subcategory", NC_("field", "Subcategory") },
    { "priority", NC_("field", "Priority") },
    { "description", NC_("field", "Customer’s words") },
    { "submitted_at", NC_("field", "Reported at") },
    { "customer.name", NC_("field", "Name") },
    { "customer.phone", NC_("field", "Phone") },
    { "customer.email", NC_("field", "Email") },
    { "customer.code", NC_("field", "Customer code") },
    { "customer.order_no", NC_("field", "Order number") },
    { "customer.product_model", NC_("field", "Product model") },
    { "customer.serial_no", NC_("field", "Serial or batch number") },
    { "customer.purchase_date", NC_("field", "Purchase date") },
    { "customer.address", NC_("field", "Address") },
  };

  if (field == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (g_str_equal (fields[i].field, field))
        return g_dpgettext2 (GETTEXT_PACKAGE, "field", fields[i].label);
    }

  return field;
}

const char * const *
kefu_text_subcategory_suggestions (KefuCategory category)
{
  /* Filled on first use: the translation must be looked up after setlocale(). */
  static const char *table[KEFU_CATEGORY_LAST][6];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      const char *quality[] = {
        C_("subcategory", "Malfunction"), C_("subcategory", "Will not start"),
        C_("subcategory", "Substandard function"), C_("subcategory", "Missing parts"), NULL
      };
      const char *logistics[] = {
        C_("subcategory", "Late delivery"), C_("subcategory", "Damaged goods"),
        C_("subcategory", "Wrong or missing items"), NULL
      };
      const char *service[] = {
        C_("subcategory", "Staff attitude"), C_("subcategory", "Slow response"),
        C_("subcategory", "Cumbersome process"), NULL
      };
      const char *consultation[] = {
        C_("subcategory", "Installation guidance"), C_("subcategory", "How to use"),
        C_("subcategory", "After-sales policy"), NULL
      };
      const char *complaint[] = {
        C_("subcategory", "Complaint"), C_("subcategory", "Suggestion"), NULL
      };
      const char **lists[KEFU_CATEGORY_LAST] = { quality, logistics, service, consultation,
                                                 complaint };

      for (guint c = 0; c < KEFU_CATEGORY_LAST; c++)
        for (guint i = 0; i < G_N_ELEMENTS (table[c]) - 1 && lists[c][i] != NULL; i++)
          table[c][i] = lists[c][i];

      g_once_init_leave (&initialized, 1);
    }

  if ((guint) category >= KEFU_CATEGORY_LAST)
    return NULL;
  return table[category];
}

/* Hours of one business day of @policy's calendar (9 by default). */
static gint64
business_day_seconds (KefuSlaPolicy *policy)
{
  KefuCalendar *calendar = policy != NULL ? kefu_sla_policy_get_calendar (policy) : NULL;
  guint start = 9 * 60, end = 18 * 60;

  if (calendar != NULL)
    kefu_calendar_get_work_hours (calendar, &start, &end);
  return (gint64) (end - start) * 60;
}

static char *
format_target (KefuSlaTarget  target,
               KefuSlaPolicy *policy,
               gboolean       is_short)
{
  int seconds = (int) MIN (target.seconds, G_MAXINT);
  int day = target.business ? (int) business_day_seconds (policy) : 24 * 3600;
  int hours = seconds / 3600;
  int minutes = (seconds % 3600) / 60;

  if (target.business && day > 0 && seconds % day == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d business day", "%d business days",
                                         seconds / day),
                            seconds / day);

  if (target.business)
    {
      if (minutes == 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d business hour",
                                             "%d business hours", hours),
                                hours);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d business minute",
                                           "%d business minutes", seconds / 60),
                              seconds / 60);
    }

  if (is_short)
    {
      if (hours > 0 && minutes > 0)
        /* Translators: a short span of time, e.g. "1 h 30 min" */
        return g_strdup_printf (_("%d h %d min"), hours, minutes);
      if (hours > 0)
        /* Translators: a short span of hours, e.g. "24 h" */
        return g_strdup_printf (_("%d h"), hours);
      /* Translators: a short span of minutes, e.g. "30 min" */
      return g_strdup_printf (_("%d min"), minutes);
    }

  if (minutes == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", hours), hours);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", seconds / 60),
                          seconds / 60);
}

char *
kefu_text_target (KefuSlaTarget  target,
                  KefuSlaPolicy *policy)
{
  return format_target (target, policy, FALSE);
}

char *
kefu_text_target_short (KefuSlaTarget  target,
                        KefuSlaPolicy *policy)
{
  return format_target (target, policy, TRUE);
}

static GDateTime *
local_from_usec (gint64 usec)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return utc != NULL ? g_date_time_to_local (utc) : NULL;
}

char *
kefu_text_local_time (gint64   usec,
                      gboolean with_seconds)
{
  g_autoptr(GDateTime) local = NULL;

  if (usec == 0 || (local = local_from_usec (usec)) == NULL)
    return NULL;

  return g_date_time_format (local, with_seconds ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M");
}

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  return g_date_time_get_year (a) == g_date_time_get_year (b) &&
         g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b);
}

char *
kefu_text_relative_time (gint64 usec,
                         gint64 now_usec)
{
  g_autoptr(GDateTime) then = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) yesterday = NULL;
  g_autoptr(GDateTime) tomorrow = NULL;
  g_autofree char *time = NULL;
  gint64 diff = now_usec - usec;
  int minutes = (int) MIN (ABS (diff) / G_USEC_PER_SEC / 60, G_MAXINT);

  if (usec == 0)
    return NULL;

  if (ABS (diff) < 60 * G_USEC_PER_SEC)
    return g_strdup (_("just now"));

  if (minutes < 60)
    return g_strdup_printf (diff > 0
                            ? g_dngettext (GETTEXT_PACKAGE, "%d min ago", "%d min ago", minutes)
                            : g_dngettext (GETTEXT_PACKAGE, "in %d min", "in %d min", minutes),
                            minutes);

  if (minutes < 12 * 60)
    return g_strdup_printf (diff > 0
                            ? g_dngettext (GETTEXT_PACKAGE, "%d h ago", "%d h ago", minutes / 60)
                            : g_dngettext (GETTEXT_PACKAGE, "in %d h", "in %d h", minutes / 60),
                            minutes / 60);

  then = local_from_usec (usec);
  now = local_from_usec (now_usec);
  if (then == NULL || now == NULL)
    return NULL;
  time = g_date_time_format (then, "%H:%M");

  if (same_day (then, now))
    /* Translators: %s is a time of day, e.g. "today 17:05" */
    return g_strdup_printf (_("today %s"), time);

  yesterday = g_date_time_add_days (now, -1);
  if (same_day (then, yesterday))
    /* Translators: %s is a time of day, e.g. "yesterday 17:05" */
    return g_strdup_printf (_("yesterday %s"), time);

  tomorrow = g_date_time_add_days (now, 1);
  if (same_day (then, tomorrow))
    /* Translators: %s is a time of day, e.g. "tomorrow 17:05" */
    return g_strdup_printf (_("tomorrow %s"), time);

  return g_date_time_format (then, "%Y-%m-%d %H:%M");
}

char *
kefu_text_countdown (gint64 usec)
{
  gint64 seconds = ABS (usec) / G_USEC_PER_SEC;
  int days = (int) MIN (seconds / 86400, G_MAXINT);

  if (days > 0)
    /* Translators: a countdown of days and hours, e.g. "2 d 4 h" */
    return g_strdup_printf (_("%d d %d h"), days, (int) ((seconds % 86400) / 3600));

  return g_strdup_printf ("%d:%02d:%02d", (int) (seconds / 3600), (int) ((seconds / 60) % 60),
                          (int) (seconds % 60));
}

char *
kefu_text_field_error (const GError *error)
{
  const char *field = kefu_error_get_field (error);
  const char *message;

  g_return_val_if_fail (error != NULL, NULL);

  message = error->message != NULL ? error->message : "";
  if (field == NULL)
    return g_strdup (message);

  if (g_str_has_suffix (message, "or customer.email is required"))
    return g_strdup (_("Enter a phone number or an email address."));

  if (g_str_has_suffix (message, " is required"))
    {
      if (g_str_equal (field, "customer.name"))
        return g_strdup (_("Enter the customer’s name."));
      if (g_str_equal (field, "description"))
        return g_strdup (_("Write down what the customer said, in their own words."));
      if (g_str_equal (field, "submitted_at"))
        return g_strdup (_("Enter when the customer reported this."));
      /* Translators: %s is the label of a form field */
      return g_strdup_printf (_("%s is required."), kefu_text_field (field));
    }

  if (strstr (message, "too long") != NULL)
    {
      const char *at_most = strstr (message, "at most ");
      int max = at_most != NULL ? (int) MIN (g_ascii_strtoull (at_most + 8, NULL, 10), G_MAXINT)
                                : 0;

      if (max > 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Too long: at most %d character.",
                                             "Too long: at most %d characters.", max),
                                max);
      return g_strdup (_("Too long."));
    }

  if (strstr (message, "control characters") != NULL || strstr (message, "UTF-8") != NULL)
    return g_strdup (_("Contains characters that cannot be saved."));

  if (g_str_equal (field, "customer.phone"))
    return g_strdup (_("Enter a phone number of 5 to 20 digits; spaces, dashes and a "
                       "leading + are fine."));
  if (g_str_equal (field, "customer.email"))
    return g_strdup (_("Enter an email address such as name@example.com."));
  if (g_str_equal (field, "customer.purchase_date"))
    return g_strdup (_("Enter a real date as YYYY-MM-DD, e.g. 2026-05-02."));
  if (g_str_equal (field, "submitted_at"))
    {
      if (strstr (message, "future") != NULL)
        return g_strdup (_("The time of the report cannot lie in the future."));
      if (strstr (message, "2000") != NULL)
        return g_strdup (_("The time of the report cannot lie before the year 2000."));
      return g_strdup (_("Enter a date and time as YYYY-MM-DD HH:MM."));
    }

  return g_strdup (message);
}
