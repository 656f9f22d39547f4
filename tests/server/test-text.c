/* test-text.c — the text rule through the real API: control and bidirectional formatting
 * characters are refused (400 validation_failed naming the field, nothing changed) in
 * attachment names and in every text member of the ticket routes; the description is kept
 * verbatim
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "after-sales-common.h"

#define RLO "\u202e"   /* RIGHT-TO-LEFT OVERRIDE: RLO "gnp.exe" shows as "exe.png" */
#define RLI "\u2067"   /* RIGHT-TO-LEFT ISOLATE */
#define LRM "\u200e"   /* LEFT-TO-RIGHT MARK */
#define ALM "\u061c"   /* ARABIC LETTER MARK */

static guint
n_attachments (Fixture    *f,
               const char *number)
{
  g_autoptr(KefuTestResponse) r = NULL;
  JsonObject *ticket = get_ticket (f, number, &r);

  return json_array_get_length (json_object_get_array_member (ticket, "attachments"));
}

/* An attachment name that would display as another one, or that carries a control character,
 * is refused before anything is stored; a name in any script is kept as sent. */
static void
test_attachment_names (Fixture       *f,
                       gconstpointer  data)
{
  static const char * const bad[] = {
    RLO "gnp.exe",
    "photo" RLI "gpj.exe",
    "a" LRM "b.jpg",
    ALM "scan.jpg",
    "invoice\u2066.jpg",
    "bell\a.jpg",
    "tab\there.jpg",
    "new\nline.jpg",
    "del\x7f.jpg",
    "c1\xc2\x85.jpg",
    "c1\xc2\x9b.jpg",
  };
  g_autofree char *number = create_ticket (f, 3, NULL, NULL);
  g_autoptr(GBytes) photo = jpeg_bytes (1024);
  gint64 version = version_of (f, number);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(KefuTestResponse) r = upload (f, "agent", number, bad[i], "image/jpeg", photo);

      g_test_message ("name %u", i);
      assert_error (r, 400, "validation_failed", "name");
    }
  g_assert_cmpuint (n_attachments (f, number), ==, 0);
  g_assert_cmpint (version_of (f, number), ==, version);

  {
    g_autoptr(KefuTestResponse) r = upload (f, "agent", number, "门店 照片 (2).jpg", "image/jpeg",
                                            photo);

    assert_status (r, 201);
    g_assert_cmpstr (json_object_get_string_member (kefu_test_object (r), "name"), ==,
                     "门店 照片 (2).jpg");
  }
  g_assert_cmpuint (n_attachments (f, number), ==, 1);
}

#define GOOD_INTAKE \
  "{\"channel\":\"phone\",\"category\":\"quality\",\"priority\":3," \
  "\"subcategory\":\"无法开机\",\"submitted_at\":\"2026-11-23T07:55:00Z\"," \
  "\"description\":\"洗衣机无法开机\",\"customer\":{\"name\":\"王小明\"," \
  "\"phone\":\"13812345678\",\"email\":\"wang@example.com\",\"code\":\"C1001\"," \
  "\"order_no\":\"SO-1\",\"product_model\":\"KX-200\",\"serial_no\":\"SN-1\"," \
  "\"address\":\"上海市浦东新区\"}}"

/* @json (an object) with @member — "name" or "customer.name" — set to the string @value. */
static char *
with_member (const char *json,
             const char *member,
             const char *value)
{
  g_autoptr(JsonNode) root = json_from_string (json, NULL);
  JsonObject *object = json_node_get_object (root);
  const char *dot = strchr (member, '.');

  if (dot != NULL)
    {
      g_autofree char *outer = g_strndup (member, dot - member);

      object = json_object_get_object_member (object, outer);
      member = dot + 1;
    }
  json_object_set_string_member (object, member, value);
  return json_to_string (root, FALSE);
}

/* Every text member of the intake and of the workflow routes refuses bidirectional formatting
 * and control characters, naming the member, and nothing is created or changed. */
static void
test_ticket_fields (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const intake_members[] = {
    "customer.name", "customer.phone", "customer.email", "customer.code", "customer.order_no",
    "customer.product_model", "customer.serial_no", "customer.address", "subcategory",
    "description",
  };
  static const char * const single_line_bad[] = {
    "王" RLO "小明", "王" RLI "小明", "王" LRM "小明", "王" ALM "小明", "王\u2028小明",
    "王\t小明", "王\n小明", "王\x7f" "小明", "王\xc2\x85" "小明",
  };
  static const char * const multi_line_bad[] = {
    "第一行" RLO "\n第二行", "a\u2066b", "a\x1b[2Jb", "a\rb", "a\x7f" "b", "a\xc2\x9b" "b",
  };
  g_autofree char *number = create_ticket (f, 3, NULL, NULL);
  gint64 version = version_of (f, number);

  for (guint i = 0; i < G_N_ELEMENTS (intake_members); i++)
    {
      gboolean multi = g_str_equal (intake_members[i], "customer.address") ||
                       g_str_equal (intake_members[i], "description");
      const char * const *bad = multi ? multi_line_bad : single_line_bad;
      guint n_bad = multi ? G_N_ELEMENTS (multi_line_bad) : G_N_ELEMENTS (single_line_bad);

      for (guint j = 0; j < n_bad; j++)
        {
          g_autofree char *body = with_member (GOOD_INTAKE, intake_members[i], bad[j]);
          g_autofree char *patch = with_member (strchr (intake_members[i], '.') != NULL
                                                ? "{\"customer\":{}}" : "{}",
                                                intake_members[i], bad[j]);
          g_autofree char *path = ticket_path (number, NULL);
          g_autoptr(KefuTestResponse) r = call (f, "agent", "POST", "/tickets", body, -1);
          g_autoptr(KefuTestResponse) p = NULL;

          g_test_message ("%s, value %u", intake_members[i], j);
          assert_error (r, 400, "validation_failed", intake_members[i]);
          p = call (f, "agent", "PATCH", path, patch, version);
          assert_error (p, 400, "validation_failed", intake_members[i]);
        }
    }

  /* Multi-line fields keep line feeds, tabs and Windows line ends. */
  {
    g_autofree char *body = with_member (GOOD_INTAKE, "customer.address",
                                         "上海市\n浦东新区\t世纪大道\r\n100 号");
    g_autoptr(KefuTestResponse) r = call (f, "agent", "POST", "/tickets", body, -1);

    assert_status (r, 201);
  }

  /* The workflow routes' text: note, status reason, resolution summary, confirmation comment,
   * visit and return texts. */
  {
    g_autofree char *notes = ticket_path (number, "notes");
    g_autofree char *note = g_strdup_printf ("{\"text\":\"已联系" RLO "客户\"}");
    g_autoptr(KefuTestResponse) r = call (f, "agent", "POST", notes, note, -1);

    assert_error (r, 400, "validation_failed", "text");
  }
  {
    g_autofree char *notes = ticket_path (number, "notes");
    g_autoptr(KefuTestResponse) r = call (f, "agent", "POST", notes,
                                          "{\"text\":\"bell \\u0007\"}", -1);

    assert_error (r, 400, "validation_failed", "text");
  }
  g_assert_cmpint (version_of (f, number), ==, version);

  assign_and_accept (f, number, "technician");
  version = version_of (f, number);
  {
    g_autoptr(KefuTestResponse) r = NULL;
    g_autofree char *status = ticket_path (number, "status");
    g_autofree char *resolve = ticket_path (number, "resolve");
    g_autofree char *visits = ticket_path (number, "visits");

    r = call (f, "technician", "POST", status,
              "{\"status\":\"waiting_parts\",\"reason\":\"等" RLI "配件\"}", version);
    assert_error (r, 400, "validation_failed", "reason");
    g_clear_pointer (&r, kefu_test_response_free);

    r = call (f, "technician", "POST", resolve,
              "{\"kind\":\"repair\",\"summary\":\"更换" LRM "主板\"}", version);
    assert_error (r, 400, "validation_failed", "summary");
    g_clear_pointer (&r, kefu_test_response_free);

    r = call (f, "technician", "POST", visits,
              "{\"scheduled_at\":\"2026-11-24T02:00:00Z\",\"address\":\"浦东" RLO "新区\"}",
              version);
    assert_error (r, 400, "validation_failed", "address");
    g_clear_pointer (&r, kefu_test_response_free);

    r = call (f, "technician", "POST", resolve,
              "{\"kind\":\"repair\",\"summary\":\"更换主板\\n已测试\"}", version);
    assert_status (r, 200);
  }
  version = version_of (f, number);
  {
    g_autofree char *confirm = ticket_path (number, "confirm");
    g_autoptr(KefuTestResponse) r = call (f, "agent", "POST", confirm,
                                          "{\"solved\":true,\"satisfaction\":5,"
                                          "\"comment\":\"满意" ALM "\"}", version);

    assert_error (r, 400, "validation_failed", "comment");
  }
  g_assert_cmpint (version_of (f, number), ==, version);
}

/* The customer's own words are stored exactly as sent, surrounding white space included;
 * only emptiness is judged without it. */
static void
test_description_verbatim (Fixture       *f,
                           gconstpointer  data)
{
  const char *words = "\n  客户原话：“插上电没反应”。\n\t第二天又试了一次。  ";
  g_autofree char *body = with_member (GOOD_INTAKE, "description", words);
  g_autoptr(KefuTestResponse) r = call (f, "agent", "POST", "/tickets", body, -1);
  g_autoptr(KefuTestResponse) d = NULL;
  g_autoptr(KefuTestResponse) empty = NULL;
  g_autofree char *blank = with_member (GOOD_INTAKE, "description", " \n\t\u3000 ");
  const char *number;

  assert_status (r, 201);
  g_assert_cmpstr (json_object_get_string_member (kefu_test_object (r), "description"), ==,
                   words);
  number = json_object_get_string_member (kefu_test_object (r), "number");
  get_ticket (f, number, &d);
  g_assert_cmpstr (json_object_get_string_member (kefu_test_object (d), "description"), ==,
                   words);

  empty = call (f, "agent", "POST", "/tickets", blank, -1);
  assert_error (empty, 400, "validation_failed", "description");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/text/attachment-names", test_attachment_names);
  ADD ("/text/ticket-fields", test_ticket_fields);
  ADD ("/text/description-verbatim", test_description_verbatim);

  return g_test_run ();
}
