/* test-attachments.c — evidence files through the real API: JPEG and PDF uploads, the magic
 * check (415), the per-route size limit answered from the headers (413, the body never sent),
 * identical bytes back with their headers, content-addressed files that survive a restart,
 * the limit per ticket, roles and If-Match
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include <gio/gio.h>

#include "after-sales-common.h"

#define MiB (1024 * 1024)

static GBytes *
pdf_bytes (void)
{
  static const char pdf[] =
    "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

  return g_bytes_new_static (pdf, sizeof pdf - 1);
}

/* GET /attachments/@id as @user with a session of our own: the exact bytes. */
static GBytes *
download (Fixture             *f,
          const char          *user,
          gint64               id,
          guint               *out_status,
          SoupMessageHeaders **out_headers)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/attachments/%" G_GINT64_FORMAT,
                                          kefu_test_server_get_base_url (f->ts), id);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token (f, user));
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_status = soup_message_get_status (msg);
  if (out_headers != NULL)
    *out_headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return bytes;
}

/* Upload with an If-Match header (the harness's raw request has none). */
static guint
upload_if_match (Fixture    *f,
                 const char *number,
                 GBytes     *bytes,
                 gint64      version)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/tickets/%s/attachments?name=a.jpg",
                                          kefu_test_server_get_base_url (f->ts), number);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token (f, "agent"));
  g_autofree char *if_match = g_strdup_printf ("%" G_GINT64_FORMAT, version);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Match", if_match);
  soup_message_set_request_body_from_bytes (msg, "image/jpeg", bytes);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

static void
test_upload_and_download (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *number = create_ticket (f, 3, NULL, NULL);
  g_autoptr(GBytes) photo = jpeg_bytes (2 * MiB + 17);   /* over the 1 MiB JSON limit */
  g_autoptr(GBytes) pdf = pdf_bytes ();
  g_autoptr(GBytes) back = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(KefuTestResponse) r = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *file = NULL;
  g_autofree char *kinds = NULL;
  JsonObject *attachment;
  gint64 photo_id, pdf_id, version;
  guint status;

  version = version_of (f, number);
  r = upload (f, "agent", number, "门店 照片.jpg", "image/jpeg", photo);
  assert_status (r, 201);
  attachment = kefu_test_object (r);
  photo_id = json_object_get_int_member (attachment, "id");
  g_assert_cmpint (photo_id, >, 0);
  g_assert_cmpstr (json_object_get_string_member (attachment, "name"), ==, "门店 照片.jpg");
  g_assert_cmpstr (json_object_get_string_member (attachment, "content_type"), ==, "image/jpeg");
  g_assert_cmpint (json_object_get_int_member (attachment, "size"), ==, 2 * MiB + 17);
  g_assert_cmpstr (json_object_get_string_member (attachment, "uploaded_at"), ==,
                   "2026-11-23T08:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (attachment, "uploaded_by"), "display_name"),
                   ==, "Agent Zhang");
  g_clear_pointer (&r, kefu_test_response_free);

  r = upload (f, "technician", number, "invoice.pdf", "application/pdf", pdf);
  assert_status (r, 201);
  pdf_id = json_object_get_int_member (kefu_test_object (r), "id");
  g_clear_pointer (&r, kefu_test_response_free);

  /* The ticket lists both, records them on its timeline, and moved on two versions. */
  {
    g_autoptr(KefuTestResponse) t = NULL;
    JsonObject *ticket = get_ticket (f, number, &t);

    g_assert_cmpint (json_object_get_int_member (ticket, "version"), ==, version + 2);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ticket,
                                                                           "attachments")), ==, 2);
    kinds = event_kinds (ticket);
    g_assert_true (g_str_has_suffix (kinds, "attachment,attachment"));
    g_assert_cmpstr (json_object_get_string_member (array_last (ticket, "events"), "text"), ==,
                     "invoice.pdf");
  }

  back = download (f, "manager", photo_id, &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_bytes_equal (back, photo));
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "image/jpeg");
  g_assert_cmpint (soup_message_headers_get_content_length (headers), ==, 2 * MiB + 17);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Disposition"), ==,
                   "attachment; filename*=UTF-8''%E9%97%A8%E5%BA%97%20%E7%85%A7%E7%89%87.jpg");
  g_clear_pointer (&back, g_bytes_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  back = download (f, "agent", 999999, &status, NULL);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&back, g_bytes_unref);

  /* Content-addressed on disk. */
  sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photo);
  file = g_build_filename (kefu_test_server_get_data_dir (f->ts), "attachments", sha, NULL);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));

  /* The same bytes again: a second attachment, the same file. */
  r = upload (f, "agent", number, "again.jpg", "image/jpeg", photo);
  assert_status (r, 201);
  g_assert_cmpint (json_object_get_int_member (kefu_test_object (r), "id"), >, pdf_id);
  g_clear_pointer (&r, kefu_test_response_free);

  /* Both survive a restart, byte for byte. */
  kefu_test_server_restart (f->ts);
  g_hash_table_remove_all (f->tokens);
  back = download (f, "technician", photo_id, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_bytes_equal (back, photo));
  g_clear_pointer (&back, g_bytes_unref);
  back = download (f, "supervisor", pdf_id, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_bytes_equal (back, pdf));
}

static void
test_types (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *number = create_ticket (f, 3, NULL, NULL);
  g_autoptr(GBytes) photo = jpeg_bytes (4000);
  g_autoptr(GBytes) pdf = pdf_bytes ();
  g_autoptr(GBytes) text = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  gint64 version = version_of (f, number);
  struct {
    const char *type;
    GBytes     *bytes;
    guint       status;
    const char *field;
  } cases[] = {
    { "image/png", photo, 415, "content_type" },          /* JPEG bytes said to be PNG */
    { "application/pdf", photo, 415, "content_type" },
    { "image/jpeg", pdf, 415, "content_type" },
    { "video/mp4", pdf, 415, "content_type" },
    { "text/plain", text, 415, "content_type" },
    { "image/gif", photo, 415, "content_type" },
    { "image/jpeg", empty, 400, "body" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KefuTestResponse) r = upload (f, "agent", number, "x", cases[i].type,
                                              cases[i].bytes);

      assert_status (r, cases[i].status);
      g_assert_cmpstr (kefu_test_error_field (r), ==, cases[i].field);
    }

  /* No name. */
  {
    g_autofree char *path = g_strdup_printf ("/tickets/%s/attachments", number);
    g_autoptr(KefuTestResponse) r = kefu_test_request_raw (f->ts, "POST", path,
                                                           token (f, "agent"), "image/jpeg",
                                                           photo);

    assert_error (r, 400, "validation_failed", "name");
  }
  /* Managers and administrators read, they do not add. Unknown ticket: 404. */
  {
    g_autoptr(KefuTestResponse) m = upload (f, "manager", number, "x.jpg", "image/jpeg", photo);
    g_autoptr(KefuTestResponse) n = upload (f, "agent", "FW20261123999", "x.jpg", "image/jpeg",
                                            photo);

    assert_error (m, 403, "forbidden", NULL);
    assert_status (n, 404);
  }
  /* If-Match is optional, but a stale one is refused. */
  g_assert_cmpuint (upload_if_match (f, number, photo, version + 5), ==, 409);
  g_assert_cmpuint (upload_if_match (f, number, photo, version), ==, 201);
  g_assert_cmpint (version_of (f, number), ==, version + 1);
}

/* Sends only the request head, announcing @length bytes, and reads the answer: the guard must
 * answer from the headers, without the body. */
static guint
announce_only (Fixture    *f,
               const char *number,
               const char *content_type,
               guint64     length,
               char      **out_answer)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  char buffer[4096];
  gssize n;
  guint status = 0;

  conn = g_socket_client_connect_to_host (client, "127.0.0.1",
                                          kefu_test_server_get_port (f->ts), NULL, &error);
  g_assert_no_error (error);
  head = g_strdup_printf ("POST /api/v1/tickets/%s/attachments?name=big HTTP/1.1\r\n"
                          "Host: 127.0.0.1\r\n"
                          "Authorization: Bearer %s\r\n"
                          "Content-Type: %s\r\n"
                          "Content-Length: %" G_GUINT64_FORMAT "\r\n\r\n",
                          number, token (f, "agent"), content_type, length);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), head,
                             strlen (head), NULL, NULL, &error);
  g_assert_no_error (error);

  g_socket_set_timeout (g_socket_connection_get_socket (conn), 10);
  n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buffer,
                           sizeof buffer - 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);
  buffer[n] = '\0';
  sscanf (buffer, "HTTP/1.%*c %u", &status);
  *out_answer = g_strdup (buffer);
  return status;
}

static void
test_limits (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *number = create_ticket (f, 3, NULL, NULL);
  g_autofree char *answer = NULL;
  g_autoptr(GBytes) tiny = jpeg_bytes (64);

  /* Images and PDF: 20 MiB; video: 200 MiB. Answered before any body byte is sent. */
  g_assert_cmpuint (announce_only (f, number, "image/jpeg", 20 * MiB + 1, &answer), ==, 413);
  g_assert_nonnull (strstr (answer, "\"too_large\""));
  g_assert_nonnull (strstr (answer, "20971520"));
  g_clear_pointer (&answer, g_free);
  g_assert_cmpuint (announce_only (f, number, "application/pdf", 21 * MiB, &answer), ==, 413);
  g_clear_pointer (&answer, g_free);
  g_assert_cmpuint (announce_only (f, number, "video/mp4", 200 * MiB + 1, &answer), ==, 413);
  g_assert_nonnull (strstr (answer, "209715200"));
  g_clear_pointer (&answer, g_free);
  /* Other routes keep the 1 MiB JSON limit. */
  {
    g_autoptr(GBytes) big = jpeg_bytes (2 * MiB);
    g_autofree char *path = ticket_path (number, "notes");
    g_autoptr(KefuTestResponse) r = kefu_test_request_raw (f->ts, "POST", path,
                                                           token (f, "agent"),
                                                           "application/json", big);

    assert_error (r, 413, "too_large", NULL);
  }

  /* At most 50 attachments per ticket. */
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(KefuTestResponse) r = upload (f, "agent", number, "p.jpg", "image/jpeg", tiny);

      assert_status (r, 201);
    }
  {
    g_autoptr(KefuTestResponse) r = upload (f, "agent", number, "p.jpg", "image/jpeg", tiny);
    g_autoptr(KefuTestResponse) t = NULL;

    assert_error (r, 409, "conflict", NULL);
    g_assert_cmpuint (json_array_get_length (
                        json_object_get_array_member (get_ticket (f, number, &t),
                                                      "attachments")), ==, 50);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/attachments/upload-and-download", Fixture, NULL, fixture_set_up,
              test_upload_and_download, fixture_tear_down);
  g_test_add ("/attachments/types", Fixture, NULL, fixture_set_up, test_types,
              fixture_tear_down);
  g_test_add ("/attachments/limits", Fixture, NULL, fixture_set_up, test_limits,
              fixture_tear_down);

  return g_test_run ();
}
