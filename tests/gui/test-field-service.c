/* test-field-service.c — field visits, returns and attachments through the ticket page
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One demo server; ticket pages opened as the technician, the agent and the supervisor, each on
 * a connection of its own, as separate clients would be. A visit is scheduled, rescheduled
 * (first without a reason: the error shows at the field), arrived at and done; a return is
 * requested and moved through every step; a PNG and a PDF are uploaded through the section's
 * upload path (a native file chooser cannot be driven) and the PNG's thumbnail shows. Each
 * change is checked against the server and seen live on a second page.
 *
 * Screenshots (BUILDDIR/tests/gui/screenshots/): field-visit-form, field-reschedule-error,
 * field-visits, field-return-form, field-returns, field-attachments, field-page, each -en or
 * -zh_CN (meson runs the program again with LANGUAGE=zh_CN).
 */
#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "kefu-attachments-section.h"
#include "kefu-gui-test.h"
#include "kefu-returns-section.h"
#include "kefu-section-form.h"
#include "kefu-ticket-form.h"
#include "kefu-ticket-page.h"
#include "kefu-visits-section.h"

static KefuGuiServer   *server;
static KefuApplication *app;
static char            *supervisor_token;
static char            *agent_token;
static char            *number;
static KefuConnection  *technician;
static KefuConnection  *agent;
static KefuConnection  *supervisor;

/* ---- helpers ------------------------------------------------------------------------------ */

static void
screenshot (GtkWidget  *widget,
            const char *what)
{
  g_autofree char *name = g_strdup_printf ("field-%s-%s", what, kefu_gui_language ());
  g_autofree char *path = NULL;

  kefu_gui_run_for (300);
  path = kefu_gui_save_screenshot (widget, name);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

/* Scrolls the page so that @widget is at the top. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  graphene_point_t point;

  kefu_gui_run_for (100);
  g_assert_true (gtk_widget_compute_point (widget, content, &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + point.y - 12);
  kefu_gui_run_for (100);
}

static JsonNode *
server_ticket (void)
{
  g_autofree char *path = g_strdup_printf ("/tickets/%s", number);

  return kefu_gui_api (server, supervisor_token, "GET", path, NULL, NULL, 200);
}

static gint64
server_version (void)
{
  g_autoptr(JsonNode) t = server_ticket ();

  return json_object_get_int_member (kefu_gui_object (t), "version");
}

static gint64
user_id (const char *username)
{
  g_autoptr(JsonNode) answer = kefu_gui_api (server, supervisor_token, "GET", "/users", NULL,
                                             NULL, 200);
  JsonArray *users = json_object_get_array_member (kefu_gui_object (answer), "users");

  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);

      if (g_strcmp0 (json_object_get_string_member (user, "username"), username) == 0)
        return json_object_get_int_member (user, "id");
    }
  g_error ("No user %s", username);
  return 0;
}

typedef struct {
  GtkWidget      *window;
  KefuTicketPage *page;
} PageWindow;

static gboolean
page_loaded (gpointer data)
{
  return kefu_ticket_page_get_ticket (data) != NULL;
}

static PageWindow
open_page_as (KefuConnection *as)
{
  PageWindow pw;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *title = adw_window_title_new ("", NULL);

  pw.window = adw_window_new ();
  pw.page = KEFU_TICKET_PAGE (kefu_ticket_page_new (as, number));
  g_object_bind_property (pw.page, "title", title, "title", G_BINDING_SYNC_CREATE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (GTK_WIDGET (pw.page), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (pw.page));
  adw_window_set_content (ADW_WINDOW (pw.window), box);
  gtk_window_set_default_size (GTK_WINDOW (pw.window), 820, 900);
  gtk_window_present (GTK_WINDOW (pw.window));
  g_assert_true (kefu_gui_wait (page_loaded, pw.page, 5000));
  return pw;
}

static void
close_page (PageWindow *pw)
{
  gtk_window_destroy (GTK_WINDOW (pw->window));
  kefu_gui_run_for (50);
}

static KefuTicket *
shown (PageWindow *pw)
{
  return kefu_ticket_page_get_ticket (pw->page);
}

/* ---- waiting ------------------------------------------------------------------------------ */

typedef struct {
  PageWindow *pw;
  const char *kind;      /* "visits", "returns" */
} FormWait;

static KefuSectionForm *
form_of (FormWait *w)
{
  if (g_str_equal (w->kind, "visits"))
    return kefu_visits_section_get_form (kefu_ticket_page_get_visits (w->pw->page));
  return kefu_returns_section_get_form (kefu_ticket_page_get_returns (w->pw->page));
}

static gboolean
has_form (gpointer data)
{
  return form_of (data) != NULL;
}

static gboolean
has_no_form (gpointer data)
{
  return form_of (data) == NULL;
}

static gboolean
form_error_shows (gpointer data)
{
  KefuSectionForm *form = form_of (data);

  return form != NULL && !kefu_section_form_is_busy (form) &&
         (kefu_section_form_get_error (form, "reason") != NULL ||
          kefu_section_form_get_error (form, NULL) != NULL);
}

typedef struct {
  PageWindow *pw;
  guint       n_visits;
  KefuVisitStatus visit_status;
  guint       n_reschedules;
  guint       n_returns;
  KefuReturnStep return_step;
  guint       n_attachments;
} Expect;

static gboolean
visit_is (gpointer data)
{
  Expect *e = data;
  KefuTicket *t = shown (e->pw);
  KefuVisit *v;

  if (t == NULL || t->visits->len != e->n_visits)
    return FALSE;
  v = g_ptr_array_index (t->visits, e->n_visits - 1);
  return v->status == e->visit_status && v->reschedules->len == e->n_reschedules;
}

static gboolean
return_is (gpointer data)
{
  Expect *e = data;
  KefuTicket *t = shown (e->pw);

  return t != NULL && t->returns->len == e->n_returns &&
         ((KefuReturn *) g_ptr_array_index (t->returns, e->n_returns - 1))->step == e->return_step;
}

static gboolean
attachments_are (gpointer data)
{
  Expect *e = data;
  KefuTicket *t = shown (e->pw);

  return t != NULL && t->attachments->len == e->n_attachments &&
         kefu_attachments_section_get_n_tiles (kefu_ticket_page_get_attachments (e->pw->page)) ==
         e->n_attachments;
}

static KefuSectionForm *
open_form (PageWindow *pw,
           const char *kind,
           const char *action,
           GVariant   *target)
{
  FormWait w = { pw, kind };
  GtkWidget *section = g_str_equal (kind, "visits")
                       ? GTK_WIDGET (kefu_ticket_page_get_visits (pw->page))
                       : GTK_WIDGET (kefu_ticket_page_get_returns (pw->page));

  g_assert_true (gtk_widget_get_visible (section));
  g_assert_true (gtk_widget_activate_action_variant (section, action, target));
  g_assert_true (kefu_gui_wait (has_form, &w, 5000));
  kefu_gui_run_for (100);
  return form_of (&w);
}

static void
submit_and_wait (PageWindow *pw,
                 const char *kind)
{
  FormWait w = { pw, kind };

  kefu_section_form_submit (form_of (&w));
  if (!kefu_gui_wait (has_no_form, &w, 5000))
    g_error ("The %s form stayed open: %s", kind,
             kefu_section_form_get_error (form_of (&w), NULL) != NULL
             ? kefu_section_form_get_error (form_of (&w), NULL) : "(no general error)");
}

/* ---- set-up ------------------------------------------------------------------------------- */

static void
create_assigned_ticket (void)
{
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) assigned = NULL;
  g_autoptr(JsonNode) accepted = NULL;
  g_autofree char *technician_token = kefu_gui_server_login (server, "technician");
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *version = NULL;

  created = kefu_gui_api (server, agent_token, "POST", "/tickets",
                          "{\"channel\":\"phone\",\"category\":\"quality\","
                          "\"subcategory\":\"Leaks\",\"priority\":3,"
                          "\"customer\":{\"name\":\"周师傅\",\"phone\":\"13700001234\","
                          "\"purchase_date\":\"2026-06-01\","
                          "\"address\":\"上海市浦东新区张江路 88 号\"},"
                          "\"description\":\"洗衣机底部漏水\","
                          "\"submitted_at\":\"@NOW@\"}", NULL, 201);
  number = g_strdup (json_object_get_string_member (kefu_gui_object (created), "number"));

  path = g_strdup_printf ("/tickets/%s/assign", number);
  body = g_strdup_printf ("{\"assignee_id\":%" G_GINT64_FORMAT ",\"department\":\"technical\"}",
                          user_id ("technician"));
  version = g_strdup_printf ("%" G_GINT64_FORMAT, server_version ());
  assigned = kefu_gui_api (server, supervisor_token, "POST", path, body, version, 200);

  g_free (path);
  g_free (version);
  path = g_strdup_printf ("/tickets/%s/accept", number);
  version = g_strdup_printf ("%" G_GINT64_FORMAT, server_version ());
  accepted = kefu_gui_api (server, technician_token, "POST", path, NULL, version, 200);
}

/* ---- field visits ------------------------------------------------------------------------- */

static void
test_visits (void)
{
  PageWindow tech = open_page_as (technician);
  PageWindow sup = open_page_as (supervisor);
  PageWindow agent_page = open_page_as (agent);
  KefuVisitsSection *section = kefu_ticket_page_get_visits (tech.page);
  KefuSectionForm *form;
  Expect e = { &tech, 1, KEFU_VISIT_STATUS_SCHEDULED, 0 };
  Expect live = { &sup, 1, KEFU_VISIT_STATUS_SCHEDULED, 0 };
  g_autoptr(JsonNode) t = NULL;
  g_autofree char *row = NULL;
  JsonObject *visit;
  KefuVisit *v;
  gint64 id;

  /* The agent may not schedule visits: the section is not offered for this fresh ticket. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (kefu_ticket_page_get_visits (
                                                        agent_page.page))));

  /* Schedule: the address defaults to the customer's, the warranty comes from the server. */
  form = open_form (&tech, "visits", "visits.schedule", NULL);
  {
    g_autofree char *address = kefu_section_form_get_text (form, "address");

    g_assert_cmpstr (address, ==, "上海市浦东新区张江路 88 号");
  }
  g_assert_nonnull (kefu_section_form_get_note (form));
  kefu_section_form_set_text (form, "parts", "进水阀");
  screenshot (GTK_WIDGET (kefu_section_form_get_window (form)), "visit-form");
  submit_and_wait (&tech, "visits");
  g_assert_true (kefu_gui_wait (visit_is, &e, 5000));

  v = g_ptr_array_index (shown (&tech)->visits, 0);
  id = v->id;
  g_assert_cmpint (v->warranty, ==, KEFU_WARRANTY_IN);
  g_assert_cmpint (v->fee_cents, ==, 0);
  t = server_ticket ();
  visit = json_array_get_object_element (json_object_get_array_member (kefu_gui_object (t),
                                                                       "visits"), 0);
  g_assert_cmpstr (json_object_get_string_member (visit, "status"), ==, "scheduled");
  g_assert_cmpstr (json_object_get_string_member (visit, "parts"), ==, "进水阀");
  row = kefu_visits_section_get_row_text (section, id);
  g_assert_nonnull (strstr (row, "上海市浦东新区张江路 88 号"));
  g_assert_nonnull (strstr (row, v->warranty_until));

  /* The second client sees it live. */
  g_assert_true (kefu_gui_wait (visit_is, &live, 3000));

  /* Reschedule without a reason: the error shows under the reason, the form stays. */
  form = open_form (&tech, "visits", "visits.reschedule", g_variant_new_int64 (id));
  g_assert_nonnull (kefu_section_form_get_note (form));
  kefu_section_form_set_text (form, "scheduled_at", "2026-12-02 15:30");
  kefu_section_form_submit (form);
  {
    FormWait w = { &tech, "visits" };

    g_assert_true (kefu_gui_wait (form_error_shows, &w, 3000));
    g_assert_nonnull (kefu_section_form_get_error (form, "reason"));
  }
  screenshot (GTK_WIDGET (kefu_section_form_get_window (form)), "reschedule-error");
  kefu_section_form_set_text (form, "reason", "客户临时出差，电话确认改期");
  submit_and_wait (&tech, "visits");
  e.n_reschedules = live.n_reschedules = 1;
  g_assert_true (kefu_gui_wait (visit_is, &e, 5000));
  g_assert_true (kefu_gui_wait (visit_is, &live, 3000));
  g_clear_pointer (&row, g_free);
  row = kefu_visits_section_get_row_text (section, id);
  g_assert_nonnull (strstr (row, "客户临时出差"));

  /* Arrive, then done with an outcome. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (section), "visits.arrive", "x", id));
  e.visit_status = live.visit_status = KEFU_VISIT_STATUS_ARRIVED;
  g_assert_true (kefu_gui_wait (visit_is, &e, 5000));
  g_assert_true (kefu_gui_wait (visit_is, &live, 3000));

  form = open_form (&tech, "visits", "visits.done", g_variant_new_int64 (id));
  kefu_section_form_submit (form);   /* no outcome yet */
  {
    FormWait w = { &tech, "visits" };

    g_assert_true (kefu_gui_wait (has_form, &w, 100));
    g_assert_nonnull (kefu_section_form_get_error (form, "outcome"));
  }
  kefu_section_form_set_text (form, "outcome", "更换进水阀，试机无漏水");
  submit_and_wait (&tech, "visits");
  e.visit_status = live.visit_status = KEFU_VISIT_STATUS_DONE;
  g_assert_true (kefu_gui_wait (visit_is, &e, 5000));
  g_assert_true (kefu_gui_wait (visit_is, &live, 3000));
  v = g_ptr_array_index (shown (&sup)->visits, 0);
  g_assert_cmpstr (v->outcome, ==, "更换进水阀，试机无漏水");
  g_assert_cmpint (v->arrived_at, >, 0);
  g_assert_cmpint (v->done_at, >=, v->arrived_at);

  screenshot (GTK_WIDGET (kefu_ticket_page_get_visits (sup.page)), "visits");

  /* The supervisor schedules a second visit for another technician, then cancels it. */
  {
    g_autofree char *other = g_strdup_printf ("%" G_GINT64_FORMAT, user_id ("technician2"));
    Expect second = { &sup, 2, KEFU_VISIT_STATUS_SCHEDULED, 0 };
    Expect second_live = { &tech, 2, KEFU_VISIT_STATUS_SCHEDULED, 0 };
    gint64 second_id;

    form = open_form (&sup, "visits", "visits.schedule", NULL);
    g_assert_true (kefu_section_form_select (form, "technician_id", other));
    kefu_section_form_set_text (form, "scheduled_at", "2026-12-05 09:00");
    submit_and_wait (&sup, "visits");
    g_assert_true (kefu_gui_wait (visit_is, &second, 5000));
    g_assert_true (kefu_gui_wait (visit_is, &second_live, 3000));
    v = g_ptr_array_index (shown (&sup)->visits, 1);
    second_id = v->id;
    g_assert_cmpint (v->technician.id, ==, g_ascii_strtoll (other, NULL, 10));

    form = open_form (&sup, "visits", "visits.cancel", g_variant_new_int64 (second_id));
    kefu_section_form_set_text (form, "reason", "客户已自行解决");
    submit_and_wait (&sup, "visits");
    second.visit_status = second_live.visit_status = KEFU_VISIT_STATUS_CANCELLED;
    g_assert_true (kefu_gui_wait (visit_is, &second, 5000));
    g_assert_true (kefu_gui_wait (visit_is, &second_live, 3000));
  }

  close_page (&agent_page);
  close_page (&sup);
  close_page (&tech);
}

/* ---- returns ------------------------------------------------------------------------------ */

static void
test_returns (void)
{
  PageWindow agent_page = open_page_as (agent);
  PageWindow sup = open_page_as (supervisor);
  KefuReturnsSection *section = kefu_ticket_page_get_returns (agent_page.page);
  KefuSectionForm *form;
  Expect e = { &agent_page, 0, 0, 0, 1, KEFU_RETURN_STEP_REQUESTED };
  Expect live = { &sup, 0, 0, 0, 1, KEFU_RETURN_STEP_REQUESTED };
  const KefuReturnStep steps[] = {
    KEFU_RETURN_STEP_APPROVED, KEFU_RETURN_STEP_PICKUP_ARRANGED, KEFU_RETURN_STEP_RECEIVED,
    KEFU_RETURN_STEP_INSPECTED, KEFU_RETURN_STEP_COMPLETED,
  };
  g_autofree char *row = NULL;
  KefuReturn *r;
  gint64 return_id;

  form = open_form (&agent_page, "returns", "returns.new", NULL);
  g_assert_true (kefu_section_form_select (form, "type", "exchange"));
  g_assert_true (kefu_section_form_select (form, "reason", "quality"));
  kefu_section_form_set_text (form, "note", "漏水，客户要求换新机");
  screenshot (GTK_WIDGET (kefu_section_form_get_window (form)), "return-form");
  submit_and_wait (&agent_page, "returns");
  g_assert_true (kefu_gui_wait (return_is, &e, 5000));
  g_assert_true (kefu_gui_wait (return_is, &live, 3000));

  r = g_ptr_array_index (shown (&agent_page)->returns, 0);
  g_assert_cmpint (r->type, ==, KEFU_RETURN_TYPE_EXCHANGE);
  g_assert_cmpint (r->review_due, >, g_get_real_time ());
  return_id = r->id;
  kefu_gui_run_for (200);
  row = kefu_returns_section_get_row_text (section, return_id);
  g_assert_nonnull (row);
  /* The review clock runs: a countdown under the tracker. */
  {
    g_auto(GStrv) lines = g_strsplit (row, "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), >=, 3);
  }
  g_assert_nonnull (strstr (row, "漏水，客户要求换新机"));

  /* The agent may not move it on; the supervisor may. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (section), "returns.next-step", "x",
                                              return_id) &&
                  kefu_returns_section_get_form (section) != NULL);

  /* Someone changes the ticket while the form is open: the write meets a version conflict, the
   * form closes and the page reloads; nothing moved. */
  {
    g_autofree char *path = g_strdup_printf ("/tickets/%s/notes", number);
    g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, server_version ());
    g_autoptr(JsonNode) noted = NULL;
    FormWait w = { &sup, "returns" };

    form = open_form (&sup, "returns", "returns.next-step", g_variant_new_int64 (return_id));
    noted = kefu_gui_api (server, agent_token, "POST", path,
                          "{\"text\":\"客户来电询问退换进度\",\"kind\":\"customer_contact\"}",
                          version, 200);
    kefu_section_form_submit (form);
    g_assert_true (kefu_gui_wait (has_no_form, &w, 5000));
    g_assert_true (kefu_gui_wait (return_is, &live, 3000));
    g_assert_cmpint (shown (&sup)->version, ==, server_version ());
  }

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      gint64 id = ((KefuReturn *) g_ptr_array_index (shown (&sup)->returns, 0))->id;

      form = open_form (&sup, "returns", "returns.next-step", g_variant_new_int64 (id));
      g_assert_true (kefu_section_form_select (form, "step",
                                               kefu_return_step_to_string (steps[i])));
      /* Only the allowed moves are offered: never back to "requested". */
      g_assert_false (kefu_section_form_select (form, "step", "requested"));
      g_assert_true (kefu_section_form_select (form, "step",
                                               kefu_return_step_to_string (steps[i])));
      submit_and_wait (&sup, "returns");
      e.return_step = live.return_step = steps[i];
      g_assert_true (kefu_gui_wait (return_is, &live, 5000));
      /* The agent's page follows live. */
      g_assert_true (kefu_gui_wait (return_is, &e, 3000));
      if (steps[i] == KEFU_RETURN_STEP_APPROVED)
        g_assert_cmpint (((KefuReturn *) g_ptr_array_index (shown (&sup)->returns, 0))->pickup_due,
                         >, 0);
      if (steps[i] == KEFU_RETURN_STEP_PICKUP_ARRANGED)
        screenshot (GTK_WIDGET (kefu_ticket_page_get_returns (sup.page)), "returns-pickup");
    }

  r = g_ptr_array_index (shown (&agent_page)->returns, 0);
  g_assert_cmpuint (r->steps->len, ==, 6);
  screenshot (GTK_WIDGET (kefu_ticket_page_get_returns (agent_page.page)), "returns");

  close_page (&sup);
  close_page (&agent_page);
}

/* ---- attachments -------------------------------------------------------------------------- */

static GFile *
write_png (const char *dir)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 320, 240);
  g_autofree char *path = g_build_filename (dir, "漏水照片.png", NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static GFile *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static gboolean
not_uploading (gpointer data)
{
  return !kefu_attachments_section_is_uploading (data);
}

typedef struct {
  KefuAttachmentsSection *section;
  gint64                  id;
} ThumbWait;

static gboolean
thumbnail_shows (gpointer data)
{
  ThumbWait *w = data;

  return kefu_attachments_section_has_thumbnail (w->section, w->id);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GFile **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = kefu_attachments_section_save_finish (KEFU_ATTACHMENTS_SECTION (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_attachments (void)
{
  PageWindow agent_page = open_page_as (agent);
  PageWindow sup = open_page_as (supervisor);
  KefuAttachmentsSection *section = kefu_ticket_page_get_attachments (agent_page.page);
  g_autofree char *dir = g_dir_make_tmp ("kefu-field-XXXXXX", NULL);
  g_autoptr(GFile) png = write_png (dir);
  g_autoptr(GFile) pdf = write_file (dir, "发票.pdf",
                                     "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer "
                                     "<< /Root 1 0 R >>\n%%EOF\n");
  g_autoptr(GFile) text = write_file (dir, "notes.txt", "not evidence\n");
  g_autoptr(GFile) saved = NULL;
  Expect e = { &agent_page, .n_attachments = 2 };
  Expect live = { &sup, .n_attachments = 2 };
  GList *files = NULL;
  KefuAttachment *a;
  ThumbWait tw;
  gint64 png_id, png_size;
  g_autofree char *saved_data = NULL;
  gsize saved_len;

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (section)));
  g_assert_cmpuint (kefu_attachments_section_get_n_tiles (section), ==, 0);

  /* A text file is refused before anything is sent, with a clear message. */
  files = g_list_append (NULL, text);
  kefu_attachments_section_upload_files (section, files);
  g_list_free (files);
  g_assert_true (kefu_gui_wait (not_uploading, section, 5000));
  g_assert_nonnull (kefu_attachments_section_get_error (section));
  g_assert_nonnull (strstr (kefu_attachments_section_get_error (section), "notes.txt"));

  files = g_list_append (NULL, png);
  files = g_list_append (files, pdf);
  kefu_attachments_section_upload_files (section, files);
  g_list_free (files);
  g_assert_true (kefu_attachments_section_is_uploading (section));
  g_assert_true (kefu_gui_wait (not_uploading, section, 10000));
  g_assert_null (kefu_attachments_section_get_error (section));
  g_assert_true (kefu_gui_wait (attachments_are, &e, 5000));
  g_assert_true (kefu_gui_wait (attachments_are, &live, 3000));

  a = g_ptr_array_index (shown (&agent_page)->attachments, 0);
  g_assert_cmpstr (a->name, ==, "漏水照片.png");
  g_assert_cmpstr (a->content_type, ==, "image/png");
  a = g_ptr_array_index (shown (&agent_page)->attachments, 1);
  g_assert_cmpstr (a->content_type, ==, "application/pdf");

  /* The PNG's thumbnail shows, on both clients. */
  a = g_ptr_array_index (shown (&agent_page)->attachments, 0);
  png_id = a->id;
  png_size = a->size;
  tw.section = section;
  tw.id = png_id;
  g_assert_true (kefu_gui_wait (thumbnail_shows, &tw, 5000));
  tw.section = kefu_ticket_page_get_attachments (sup.page);
  g_assert_true (kefu_gui_wait (thumbnail_shows, &tw, 5000));
  /* The PDF has an icon, not a thumbnail. */
  tw.id = ((KefuAttachment *) g_ptr_array_index (shown (&sup)->attachments, 1))->id;
  g_assert_false (kefu_attachments_section_has_thumbnail (tw.section, tw.id));

  /* Saved for the desktop's viewer: the same bytes, in the user's cache. */
  kefu_attachments_section_save_async (section, png_id, NULL, saved_cb, &saved);
  g_assert_true (kefu_gui_wait (is_set, &saved, 5000));
  g_assert_true (g_str_has_prefix (g_file_peek_path (saved), g_get_user_cache_dir ()));
  g_assert_true (g_file_load_contents (saved, NULL, &saved_data, &saved_len, NULL, NULL));
  g_assert_cmpuint (saved_len, ==, (gsize) png_size);

  screenshot (GTK_WIDGET (section), "attachments");
  scroll_to (GTK_WIDGET (kefu_ticket_page_get_attachments (sup.page)));
  screenshot (GTK_WIDGET (sup.window), "page");

  g_file_delete (saved, NULL, NULL);
  g_file_delete (png, NULL, NULL);
  g_file_delete (pdf, NULL, NULL);
  g_file_delete (text, NULL, NULL);
  g_rmdir (dir);
  close_page (&sup);
  close_page (&agent_page);
}

/* ---- attachments at intake ---------------------------------------------------------------- */

static gpointer
form_child (KefuTicketForm *form,
            const char     *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (form), KEFU_TYPE_TICKET_FORM, name);

  g_assert_nonnull (child);
  return child;
}

static void
on_created (KefuTicketForm *form,
            const char     *created,
            char          **out)
{
  g_free (*out);
  *out = g_strdup (created);
}

static GtkWidget *
find_scroller (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_scroller (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
scroll_to_end (GtkWidget *widget)
{
  GtkWidget *scroller = find_scroller (widget);
  GtkAdjustment *adjustment;

  g_assert_nonnull (scroller);
  kefu_gui_run_for (100);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  kefu_gui_run_for (100);
}

static gboolean
evidence_listed (gpointer data)
{
  return kefu_ticket_form_get_n_evidence (data) > 0;
}

static gboolean
evidence_done (gpointer data)
{
  return kefu_ticket_form_get_evidence_status (data) != NULL &&
         !kefu_ticket_form_get_evidence_busy (data);
}

static void
test_intake (void)
{
  KefuTicketForm *form = kefu_ticket_form_new (agent, NULL);
  g_autofree char *dir = g_dir_make_tmp ("kefu-intake-XXXXXX", NULL);
  g_autoptr(GFile) png = write_png (dir);
  g_autoptr(GFile) text = write_file (dir, "readme.txt", "no\n");
  g_autofree char *created = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) t = NULL;
  JsonArray *attachments;

  gtk_window_present (GTK_WINDOW (form));
  kefu_gui_run_for (200);
  g_signal_connect (form, "created", G_CALLBACK (on_created), &created);
  gtk_editable_set_text (form_child (form, "name_row"), "冯女士");
  gtk_editable_set_text (form_child (form, "phone_row"), "13500007777");
  gtk_editable_set_text (form_child (form, "subcategory_row"), "外观破损");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (form_child (form, "description_view")),
                            "收到时外壳裂了，附照片", -1);
  kefu_ticket_form_add_evidence (form, png);
  kefu_ticket_form_add_evidence (form, text);
  /* The text file is refused as soon as it is picked; the PNG is listed. */
  g_assert_true (kefu_gui_wait (evidence_listed, form, 3000));
  kefu_gui_run_for (100);
  g_assert_cmpuint (kefu_ticket_form_get_n_evidence (form), ==, 1);
  scroll_to_end (GTK_WIDGET (form_child (form, "form_page")));
  screenshot (GTK_WIDGET (form), "intake-form");

  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  g_assert_true (kefu_gui_wait (evidence_done, form, 10000));
  g_assert_nonnull (created);
  /* The PNG went up. */
  g_assert_null (strstr (kefu_ticket_form_get_evidence_status (form), "readme.txt"));
  screenshot (GTK_WIDGET (form), "intake-done");

  path = g_strdup_printf ("/tickets/%s", created);
  t = kefu_gui_api (server, supervisor_token, "GET", path, NULL, NULL, 200);
  attachments = json_object_get_array_member (kefu_gui_object (t), "attachments");
  g_assert_cmpuint (json_array_get_length (attachments), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (attachments, 0),
                                                  "content_type"), ==, "image/png");

  gtk_window_destroy (GTK_WINDOW (form));
  g_file_delete (png, NULL, NULL);
  g_file_delete (text, NULL, NULL);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  int result;

  kefu_gui_test_init (&argc, &argv);
  /* Saved attachments go to a cache directory of this test only. */
  {
    g_autofree char *cache = g_dir_make_tmp ("kefu-field-cache-XXXXXX", NULL);

    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  }

  server = kefu_gui_server_new ();
  app = kefu_gui_application_new ();
  supervisor_token = kefu_gui_server_login (server, "supervisor");
  agent_token = kefu_gui_server_login (server, "agent");
  create_assigned_ticket ();
  technician = kefu_gui_sign_in (server, "technician");
  agent = kefu_gui_sign_in (server, "agent");
  supervisor = kefu_gui_sign_in (server, "supervisor");

  g_test_add_func ("/field/visits", test_visits);
  g_test_add_func ("/field/returns", test_returns);
  g_test_add_func ("/field/attachments", test_attachments);
  g_test_add_func ("/field/intake", test_intake);
  result = g_test_run ();

  g_clear_object (&technician);
  g_clear_object (&agent);
  g_clear_object (&supervisor);
  g_clear_object (&app);
  kefu_gui_server_free (server);
  g_free (supervisor_token);
  g_free (agent_token);
  g_free (number);
  return result;
}
