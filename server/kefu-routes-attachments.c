/* kefu-routes-attachments.c — evidence files of a ticket (issue 5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   POST /tickets/{n}/attachments?name=F   raw bytes with their Content-Type → 201 attachment
 *   GET  /attachments/{id}                 the bytes
 *
 * Allowed types are checked against the bytes' magic, not only the header. The body limit is
 * per type (20 MiB for images and PDF, 200 MiB for video), enforced by the HTTP guard from the
 * request headers before libsoup reads the body (kefu_attachments_body_limit()), and again here.
 *
 * The caller and their right to the route are checked from the headers before any body byte
 * is read (the server's admit function); then the body streams to a temporary file on the
 * upload writer thread while it arrives (kefu-upload.c), never accumulating in memory or
 * touching the main loop's time. Files are content-addressed: DATA_DIR/attachments/<sha256
 * hex>. Once the body is in and its type checked, the file is fsynced, renamed into place and
 * the directory fsynced; only then is the one small row job queued, so the writer's
 * transaction does no file I/O and a 201 means both the file and the row are durable. A failed
 * transaction can leave a file that no row names; it is harmless (the same bytes reuse it).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "kefu-attachments.h"
#include "kefu-error.h"
#include "kefu-json-input.h"
#include "kefu-number.h"
#include "kefu-routes-common.h"
#include "kefu-server.h"
#include "kefu-ticket-ops.h"
#include "kefu-upload.h"
#include "kefu-validate.h"

#define MiB (G_GINT64_CONSTANT (1024) * 1024)

static const struct {
  const char *type;
  gint64      max_bytes;
} allowed_types[] = {
  { "image/jpeg", 20 * MiB },
  { "image/png", 20 * MiB },
  { "image/webp", 20 * MiB },
  { "application/pdf", 20 * MiB },
  { "video/mp4", 200 * MiB },
  { "video/quicktime", 200 * MiB },
};

gint64
kefu_attachment_max_bytes (const char *content_type)
{
  for (guint i = 0; content_type != NULL && i < G_N_ELEMENTS (allowed_types); i++)
    {
      if (g_ascii_strcasecmp (content_type, allowed_types[i].type) == 0)
        return allowed_types[i].max_bytes;
    }
  return 0;
}

gboolean
kefu_attachment_sniff (const char   *content_type,
                       const guint8 *data,
                       gsize         len)
{
  g_return_val_if_fail (content_type != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (g_str_equal (content_type, "image/jpeg"))
    return len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;
  if (g_str_equal (content_type, "image/png"))
    return len >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0;
  if (g_str_equal (content_type, "image/webp"))
    return len >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0;
  if (g_str_equal (content_type, "application/pdf"))
    return len >= 5 && memcmp (data, "%PDF-", 5) == 0;
  if (g_str_equal (content_type, "video/mp4"))
    return len >= 12 && memcmp (data + 4, "ftyp", 4) == 0 && memcmp (data + 8, "qt  ", 4) != 0;
  if (g_str_equal (content_type, "video/quicktime"))
    return len >= 12 && (memcmp (data + 4, "ftyp", 4) == 0 || memcmp (data + 4, "moov", 4) == 0 ||
                         memcmp (data + 4, "mdat", 4) == 0 || memcmp (data + 4, "wide", 4) == 0 ||
                         memcmp (data + 4, "free", 4) == 0 || memcmp (data + 4, "skip", 4) == 0);
  return FALSE;
}

/* "/api/v1/tickets/X/attachments" */
static gboolean
is_upload_path (const char *path)
{
  static const char prefix[] = "/api/v1/tickets/";
  static const char suffix[] = "/attachments";
  gsize len;

  if (path == NULL || !g_str_has_prefix (path, prefix) || !g_str_has_suffix (path, suffix))
    return FALSE;
  len = strlen (path);
  if (len <= sizeof prefix - 1 + sizeof suffix - 1)
    return FALSE;
  /* exactly one segment in between */
  return memchr (path + sizeof prefix - 1, '/',
                 len - (sizeof prefix - 1) - (sizeof suffix - 1)) == NULL;
}

gsize
kefu_attachments_body_limit (SoupServerMessage *msg,
                             gpointer           user_data)
{
  SoupMessageHeaders *headers;
  const char *type;

  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0 ||
      !is_upload_path (g_uri_get_path (soup_server_message_get_uri (msg))))
    return 0;

  headers = soup_server_message_get_request_headers (msg);
  type = soup_message_headers_get_content_type (headers, NULL);
  if (type != NULL && g_ascii_strncasecmp (type, "video/", 6) == 0)
    return 200 * MiB;
  return 20 * MiB;
}

char *
kefu_attachment_path (const char *data_dir,
                      const char *sha256)
{
  g_return_val_if_fail (data_dir != NULL && sha256 != NULL, NULL);

  return g_build_filename (data_dir, "attachments", sha256, NULL);
}

void
kefu_attachments_prepare_upload (SoupServerMessage *msg,
                                 const char        *data_dir)
{
  g_autofree char *dir = NULL;

  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0 ||
      !is_upload_path (g_uri_get_path (soup_server_message_get_uri (msg))))
    return;

  dir = g_build_filename (data_dir, "attachments", NULL);
  kefu_upload_attach (msg, dir);
}

/* ------------------------------------------------------------------------------------------ */
/* POST /tickets/{n}/attachments                                                              */

typedef struct {
  KefuTicketJob   base;
  char           *data_dir;
  char           *name;
  char           *content_type;
  char           *sha256;
  gint64          size;
} UploadJob;

static void
upload_job_free (gpointer data)
{
  UploadJob *job = data;

  kefu_ticket_job_clear (&job->base);
  g_free (job->data_dir);
  g_free (job->name);
  g_free (job->content_type);
  g_free (job->sha256);
  g_free (job);
}

static gpointer
upload_job_run (KefuDb   *db,
                gpointer  data,
                GError  **error)
{
  UploadJob *job = data;
  KefuOpContext ctx = kefu_ticket_job_context (&job->base);

  /* The file is durable already (kefu_upload_finish_async()): only the row here. */
  return kefu_ticket_op_add_attachment (db, &ctx, job->base.number, job->base.if_match,
                                        job->name, job->content_type, job->size, job->sha256,
                                        error);
}

static void
upload_done (KefuRequest  *req,
             gpointer      result,
             const GError *error)
{
  KefuTicket *ticket = result;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *location = NULL;
  KefuAttachment *attachment;

  if (error != NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }

  attachment = g_ptr_array_index (ticket->attachments, ticket->attachments->len - 1);
  node = kefu_attachment_to_json (attachment);
  location = g_strdup_printf ("/api/v1/attachments/%" G_GINT64_FORMAT, attachment->id);
  kefu_routes_set_etag (req, ticket);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Location", location);
  kefu_request_reply_json (req, SOUP_STATUS_CREATED, node);
}

/* The file name: its last path component, without backslashes, trimmed; NULL when there is
 * none. Control and bidirectional formatting characters are refused by the text rule of every
 * single-line field (shared/kefu-validate.h), not dropped: a name is shown as it was sent or
 * not at all ("\u202Egnp.exe" would show as "exe.png"). */
static char *
clean_name (const char *name)
{
  g_autofree char *base = NULL;
  GString *out;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return NULL;
  base = g_path_get_basename (name);
  if (!kefu_validate_text (base, KEFU_SHORT_TEXT_MAX_CHARS, FALSE))
    return NULL;
  out = g_string_new (NULL);
  for (const char *p = base; *p != '\0'; p++)
    {
      if (*p != '\\')
        g_string_append_c (out, *p);
    }
  g_strstrip (out->str);
  out->len = strlen (out->str);
  if (out->len == 0 || g_str_equal (out->str, ".") || g_str_equal (out->str, "..") ||
      g_str_equal (out->str, "/"))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* A checked upload waiting for its file to be durable. */
typedef struct {
  KefuRequest *req;
  UploadJob   *job;
} Storing;

static void
on_upload_stored (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Storing *storing = user_data;
  g_autoptr(KefuRequest) req = storing->req;
  g_autoptr(GError) error = NULL;
  UploadJob *job = storing->job;

  g_free (storing);
  job->sha256 = kefu_upload_finish_finish (KEFU_UPLOAD (source), result, &error);
  if (job->sha256 == NULL)
    {
      upload_job_free (job);
      g_warning ("storing an attachment failed: %s", error->message);
      kefu_request_reply_error_literal (req, KEFU_ERROR_INTERNAL, "the file could not be stored");
      return;
    }

  kefu_request_write (req, upload_job_run, job, upload_job_free,
                      (GDestroyNotify) kefu_ticket_unref, upload_done);
}

static void
handle_upload (KefuRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *type = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  KefuUpload *upload = kefu_upload_get_for_message (req->msg);
  const char *number = req->params[0];
  const char *header_type;
  const guint8 *head = NULL;
  gsize head_len = 0;
  gint64 if_match = -1;
  gint64 max;
  guint64 len = upload != NULL ? kefu_upload_get_size (upload) : 0;
  Storing *storing;
  UploadJob *job;

  if (upload != NULL)
    head = kefu_upload_peek_head (upload, &head_len);

  if (number == NULL || !kefu_number_parse (number, NULL, NULL))
    {
      kefu_request_reply_error_literal (req, KEFU_ERROR_NOT_FOUND, "there is no such ticket");
      goto refused;
    }

  /* If-Match is optional here; a malformed one is still an error. */
  if (!kefu_routes_get_if_match (req, TRUE, &if_match, &error))
    {
      kefu_request_reply_error (req, error);
      goto refused;
    }

  name = clean_name (kefu_request_get_query (req, "name"));
  if (name == NULL)
    {
      kefu_set_field_error (&error, "name", "?name= must give the file name: one line of text "
                            "without control or bidirectional formatting characters");
      kefu_request_reply_error (req, error);
      goto refused;
    }

  header_type = soup_message_headers_get_content_type (headers, NULL);
  type = g_ascii_strdown (header_type != NULL ? header_type : "", -1);
  max = kefu_attachment_max_bytes (type);
  if (max == 0)
    {
      kefu_set_field_error (&error, "content_type",
                            "attachments are JPEG, PNG or WebP images, MP4 or QuickTime videos "
                            "or PDF documents");
      error->code = KEFU_ERROR_UNSUPPORTED_MEDIA_TYPE;
      kefu_request_reply_error (req, error);
      goto refused;
    }

  if (len > (guint64) max)
    {
      g_set_error (&error, KEFU_ERROR, KEFU_ERROR_TOO_LARGE,
                   "a %s attachment may be at most %" G_GINT64_FORMAT " bytes", type, max);
      kefu_request_reply_error (req, error);
      goto refused;
    }
  if (len == 0)
    {
      kefu_set_field_error (&error, "body", "the attachment is empty");
      kefu_request_reply_error (req, error);
      goto refused;
    }
  if (!kefu_attachment_sniff (type, head, head_len))
    {
      kefu_set_field_error (&error, "content_type", "the bytes are not %s", type);
      error->code = KEFU_ERROR_UNSUPPORTED_MEDIA_TYPE;
      kefu_request_reply_error (req, error);
      goto refused;
    }

  job = g_new0 (UploadJob, 1);
  kefu_ticket_job_init (&job->base, req, number, if_match);
  job->data_dir = g_strdup (kefu_server_get_data_dir (req->server));
  job->name = g_steal_pointer (&name);
  job->content_type = g_steal_pointer (&type);
  job->size = (gint64) len;

  /* The file's fsync and rename happen on the upload writer thread; the row job follows. */
  storing = g_new0 (Storing, 1);
  storing->req = kefu_request_ref (req);
  storing->job = job;
  kefu_upload_finish_async (upload, NULL, on_upload_stored, storing);
  return;

refused:
  if (upload != NULL)
    kefu_upload_abort (upload);
}

/* ------------------------------------------------------------------------------------------ */
/* GET /attachments/{id}                                                                      */

static void
handle_download (KefuRequest *req)
{
  KefuDb *db = kefu_store_get_reader (kefu_server_get_store (req->server));
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  g_autofree char *type = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *path = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *disposition = NULL;
  SoupMessageHeaders *headers;
  const char *text = req->params[0];
  sqlite3_stmt *stmt;
  gint64 id, size = 0;
  int rc;

  if (!kefu_parse_decimal (text, 1, G_MAXINT64, &id))
    {
      kefu_request_reply_error_literal (req, KEFU_ERROR_NOT_FOUND, "there is no such attachment");
      return;
    }

  stmt = kefu_db_prepare (db, "SELECT name, content_type, size, sha256 FROM attachments"
                              " WHERE id = ?", &error);
  if (stmt == NULL)
    {
      kefu_request_reply_error (req, error);
      return;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      name = kefu_db_column_dup (stmt, 0);
      type = kefu_db_column_dup (stmt, 1);
      size = sqlite3_column_int64 (stmt, 2);
      sha256 = kefu_db_column_dup (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        {
          kefu_db_fail (db, &error);
          kefu_request_reply_error (req, error);
        }
      else
        kefu_request_reply_error_literal (req, KEFU_ERROR_NOT_FOUND,
                                          "there is no such attachment");
      return;
    }

  path = kefu_attachment_path (kefu_server_get_data_dir (req->server), sha256);
  file = g_mapped_file_new (path, FALSE, &error);
  if (file == NULL)
    {
      g_warning ("attachment %" G_GINT64_FORMAT ": %s", id, error->message);
      kefu_request_reply_error_literal (req, KEFU_ERROR_INTERNAL,
                                        "the attachment's file is missing");
      return;
    }
  bytes = g_mapped_file_get_bytes (file);
  if ((gint64) g_bytes_get_size (bytes) != size)
    {
      g_warning ("attachment %" G_GINT64_FORMAT ": file size differs from the record", id);
      kefu_request_reply_error_literal (req, KEFU_ERROR_INTERNAL,
                                        "the attachment's file is damaged");
      return;
    }

  headers = soup_server_message_get_response_headers (req->msg);
  escaped = g_uri_escape_string (name, NULL, FALSE);
  disposition = g_strdup_printf ("attachment; filename*=UTF-8''%s", escaped);
  soup_message_headers_replace (headers, "Content-Disposition", disposition);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_set_content_type (headers, type, NULL);
  soup_message_headers_set_content_length (headers, g_bytes_get_size (bytes));
  soup_message_body_append_bytes (soup_server_message_get_response_body (req->msg), bytes);
  kefu_request_reply_empty (req, SOUP_STATUS_OK);
}

void
kefu_routes_attachments_register (KefuServer *server)
{
  g_return_if_fail (KEFU_IS_SERVER (server));

  kefu_server_add_route (server, "POST", "/tickets/{}/attachments", KEFU_ROUTE_STAFF,
                         handle_upload);
  kefu_server_add_route (server, "GET", "/attachments/{}", KEFU_ROUTE_STAFF, handle_download);
}
