/* test-client-permissions.c — the client's table of who may do what, cell by cell
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The expected table is written out by hand from the server's rules (server/kefu-ticket-ops.c
 * and the wire shapes of issue 5), independently of client/kefu-permissions.c: for every
 * action and role, the statuses in which the action is offered to the ticket's assignee and to
 * anyone else of that role. Every (action, role, status, assignee or not) cell is checked.
 */
#include "config.h"

#include <string.h>

#include "kefu-connection.h"
#include "kefu-permissions.h"

/* One letter per status. */
static const struct {
  char       letter;
  KefuStatus status;
} statuses[] = {
  { 'N', KEFU_STATUS_NEW },
  { 'A', KEFU_STATUS_ASSIGNED },
  { 'C', KEFU_STATUS_ACCEPTED },
  { 'P', KEFU_STATUS_IN_PROGRESS },
  { 'W', KEFU_STATUS_WAITING_CUSTOMER },
  { 'w', KEFU_STATUS_WAITING_PARTS },
  { 'R', KEFU_STATUS_RESOLVED },
  { 'X', KEFU_STATUS_CLOSED },
  { 'O', KEFU_STATUS_REOPENED },
  { 'Z', KEFU_STATUS_CANCELLED },
};

#define ALL_STATUSES "NACPWwRXOZ"
#define OPEN         "NACPWwO"
#define EDITABLE     "NACPWwRO"
#define NOT_CANCELLED "NACPWwRXO"

typedef struct {
  KefuTicketAction action;
  KefuRole         role;
  const char      *as_assignee;   /* statuses in which the assignee is offered it */
  const char      *as_other;      /* … and anyone else of the role */
} Cell;

/* Roles not listed for an action get nothing. Department: technical (returns: see below). */
static const Cell table[] = {
  { KEFU_TICKET_ACTION_ASSIGN, KEFU_ROLE_SUPERVISOR, OPEN, OPEN },

  { KEFU_TICKET_ACTION_ACCEPT, KEFU_ROLE_AGENT, "A", "" },
  { KEFU_TICKET_ACTION_ACCEPT, KEFU_ROLE_SUPERVISOR, "A", "" },
  { KEFU_TICKET_ACTION_ACCEPT, KEFU_ROLE_TECHNICIAN, "A", "" },

  { KEFU_TICKET_ACTION_START_WORK, KEFU_ROLE_AGENT, "CWwO", "" },
  { KEFU_TICKET_ACTION_START_WORK, KEFU_ROLE_SUPERVISOR, "CWwO", "CWwO" },
  { KEFU_TICKET_ACTION_START_WORK, KEFU_ROLE_TECHNICIAN, "CWwO", "" },

  { KEFU_TICKET_ACTION_WAIT_PARTS, KEFU_ROLE_AGENT, "PW", "" },
  { KEFU_TICKET_ACTION_WAIT_PARTS, KEFU_ROLE_SUPERVISOR, "PW", "PW" },
  { KEFU_TICKET_ACTION_WAIT_PARTS, KEFU_ROLE_TECHNICIAN, "PW", "" },

  { KEFU_TICKET_ACTION_WAIT_CUSTOMER, KEFU_ROLE_AGENT, "Pw", "" },
  { KEFU_TICKET_ACTION_WAIT_CUSTOMER, KEFU_ROLE_SUPERVISOR, "Pw", "Pw" },
  { KEFU_TICKET_ACTION_WAIT_CUSTOMER, KEFU_ROLE_TECHNICIAN, "Pw", "" },

  { KEFU_TICKET_ACTION_RESOLVE, KEFU_ROLE_AGENT, "CPWw", "" },
  { KEFU_TICKET_ACTION_RESOLVE, KEFU_ROLE_SUPERVISOR, "CPWw", "CPWw" },
  { KEFU_TICKET_ACTION_RESOLVE, KEFU_ROLE_TECHNICIAN, "CPWw", "" },

  { KEFU_TICKET_ACTION_CONFIRM, KEFU_ROLE_AGENT, "R", "R" },
  { KEFU_TICKET_ACTION_CONFIRM, KEFU_ROLE_SUPERVISOR, "R", "R" },

  { KEFU_TICKET_ACTION_CANCEL, KEFU_ROLE_SUPERVISOR, OPEN, OPEN },

  { KEFU_TICKET_ACTION_PRIORITY, KEFU_ROLE_SUPERVISOR, EDITABLE, EDITABLE },

  { KEFU_TICKET_ACTION_CLASSIFY, KEFU_ROLE_AGENT, EDITABLE, EDITABLE },
  { KEFU_TICKET_ACTION_CLASSIFY, KEFU_ROLE_SUPERVISOR, EDITABLE, EDITABLE },

  { KEFU_TICKET_ACTION_NOTE, KEFU_ROLE_AGENT, ALL_STATUSES, ALL_STATUSES },
  { KEFU_TICKET_ACTION_NOTE, KEFU_ROLE_SUPERVISOR, ALL_STATUSES, ALL_STATUSES },
  { KEFU_TICKET_ACTION_NOTE, KEFU_ROLE_TECHNICIAN, ALL_STATUSES, ALL_STATUSES },
  { KEFU_TICKET_ACTION_NOTE, KEFU_ROLE_MANAGER, ALL_STATUSES, ALL_STATUSES },

  { KEFU_TICKET_ACTION_CUSTOMER_CONTACT, KEFU_ROLE_AGENT, ALL_STATUSES, ALL_STATUSES },
  { KEFU_TICKET_ACTION_CUSTOMER_CONTACT, KEFU_ROLE_SUPERVISOR, ALL_STATUSES, ALL_STATUSES },
  { KEFU_TICKET_ACTION_CUSTOMER_CONTACT, KEFU_ROLE_TECHNICIAN, ALL_STATUSES, "" },

  /* Visits: resolved tickets get no new one; the technician must be the assignee (or, to
   * update, the visit's technician: see test_visit_technician). */
  { KEFU_TICKET_ACTION_VISIT_SCHEDULE, KEFU_ROLE_SUPERVISOR, OPEN, OPEN },
  { KEFU_TICKET_ACTION_VISIT_SCHEDULE, KEFU_ROLE_TECHNICIAN, OPEN, "" },
  { KEFU_TICKET_ACTION_VISIT_UPDATE, KEFU_ROLE_SUPERVISOR, EDITABLE, EDITABLE },
  { KEFU_TICKET_ACTION_VISIT_UPDATE, KEFU_ROLE_TECHNICIAN, EDITABLE, "" },

  /* Returns: a closed ticket may still be returned; agents request but do not move them on
   * (unless they are of logistics: see test_logistics). */
  { KEFU_TICKET_ACTION_RETURN_REQUEST, KEFU_ROLE_AGENT, NOT_CANCELLED, NOT_CANCELLED },
  { KEFU_TICKET_ACTION_RETURN_REQUEST, KEFU_ROLE_SUPERVISOR, NOT_CANCELLED, NOT_CANCELLED },
  { KEFU_TICKET_ACTION_RETURN_UPDATE, KEFU_ROLE_SUPERVISOR, NOT_CANCELLED, NOT_CANCELLED },

  { KEFU_TICKET_ACTION_ATTACH, KEFU_ROLE_AGENT, NOT_CANCELLED, NOT_CANCELLED },
  { KEFU_TICKET_ACTION_ATTACH, KEFU_ROLE_SUPERVISOR, NOT_CANCELLED, NOT_CANCELLED },
  { KEFU_TICKET_ACTION_ATTACH, KEFU_ROLE_TECHNICIAN, NOT_CANCELLED, NOT_CANCELLED },
};

#define ME    7
#define OTHER 8

static const Cell *
find_cell (KefuTicketAction action,
           KefuRole         role)
{
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      if (table[i].action == action && table[i].role == role)
        return &table[i];
    }
  return NULL;
}

static KefuTicket *
ticket_in (KefuStatus status,
           gint64     assignee_id)
{
  KefuTicket *ticket = kefu_ticket_new ();

  ticket->number = g_strdup ("FW20261123001");
  ticket->priority = 2;
  ticket->status = status;
  ticket->assignee.id = assignee_id;
  ticket->assignee.display_name = assignee_id != 0 ? g_strdup ("Someone") : NULL;
  return ticket;
}

static void
test_every_cell (void)
{
  guint checked = 0, allowed = 0;

  for (guint a = 0; a < KEFU_TICKET_ACTION_LAST; a++)
    for (guint r = 0; r < KEFU_ROLE_LAST; r++)
      for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
        for (guint mine = 0; mine < 2; mine++)
          {
            const Cell *cell = find_cell (a, r);
            const char *expected_in = cell == NULL ? "" : mine ? cell->as_assignee
                                                               : cell->as_other;
            gboolean expected = strchr (expected_in, statuses[s].letter) != NULL;
            /* Not the assignee: the ticket is someone else's, or nobody's (new). */
            g_autoptr(KefuTicket) ticket = ticket_in (statuses[s].status,
                                                      mine ? ME
                                                      : statuses[s].status == KEFU_STATUS_NEW
                                                      ? 0 : OTHER);
            gboolean got = kefu_permissions_allow (r, ME, "technical", ticket, a);

            if (got != expected)
              g_error ("%s by a %s%s on a %s ticket: expected %s, got %s",
                       kefu_ticket_action_to_string (a), kefu_role_to_string (r),
                       mine ? " (the assignee)" : "", kefu_status_to_string (statuses[s].status),
                       expected ? "offered" : "not offered", got ? "offered" : "not offered");

            /* Whatever one ticket allows, the role may do at all. */
            if (got)
              g_assert_true (kefu_permissions_role_may (r, a));
            checked++;
            allowed += got;
          }

  g_test_message ("%u cells, %u offered", checked, allowed);
  g_assert_cmpuint (checked, ==, KEFU_TICKET_ACTION_LAST * KEFU_ROLE_LAST * 10 * 2);
  g_assert_cmpuint (allowed, >, 0);
}

/* A new ticket that nobody holds: the supervisor assigns, no one else acts on its status. */
static void
test_unassigned (void)
{
  g_autoptr(KefuTicket) ticket = ticket_in (KEFU_STATUS_NEW, 0);

  g_assert_true (kefu_permissions_allow (KEFU_ROLE_SUPERVISOR, ME, NULL, ticket,
                                         KEFU_TICKET_ACTION_ASSIGN));
  g_assert_false (kefu_permissions_allow (KEFU_ROLE_AGENT, ME, NULL, ticket,
                                          KEFU_TICKET_ACTION_ASSIGN));
  /* User id 0 (signed out) is never "the assignee" of an unassigned ticket. */
  g_assert_false (kefu_permissions_allow (KEFU_ROLE_TECHNICIAN, 0, NULL, ticket,
                                          KEFU_TICKET_ACTION_CUSTOMER_CONTACT));
}

/* Returns: anyone of the logistics department who may change tickets. */
static void
test_logistics (void)
{
  for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
    {
      g_autoptr(KefuTicket) ticket = ticket_in (statuses[s].status, OTHER);
      gboolean expected = strchr (NOT_CANCELLED, statuses[s].letter) != NULL;

      g_assert_cmpint (kefu_permissions_allow (KEFU_ROLE_TECHNICIAN, ME, "logistics", ticket,
                                               KEFU_TICKET_ACTION_RETURN_REQUEST), ==, expected);
      g_assert_cmpint (kefu_permissions_allow (KEFU_ROLE_TECHNICIAN, ME, "logistics", ticket,
                                               KEFU_TICKET_ACTION_RETURN_UPDATE), ==, expected);
      g_assert_cmpint (kefu_permissions_allow (KEFU_ROLE_AGENT, ME, "logistics", ticket,
                                               KEFU_TICKET_ACTION_RETURN_UPDATE), ==, expected);
      g_assert_false (kefu_permissions_allow (KEFU_ROLE_MANAGER, ME, "logistics", ticket,
                                              KEFU_TICKET_ACTION_RETURN_REQUEST));
    }
}

/* A technician who is not the assignee may update a visit that is theirs, and only that one. */
static void
test_visit_technician (void)
{
  g_autoptr(KefuTicket) ticket = ticket_in (KEFU_STATUS_IN_PROGRESS, OTHER);
  KefuVisit *mine = kefu_visit_new ();
  KefuVisit *theirs = kefu_visit_new ();

  mine->technician.id = ME;
  theirs->technician.id = OTHER;
  g_ptr_array_add (ticket->visits, theirs);
  g_assert_false (kefu_permissions_allow (KEFU_ROLE_TECHNICIAN, ME, NULL, ticket,
                                          KEFU_TICKET_ACTION_VISIT_UPDATE));
  g_ptr_array_add (ticket->visits, mine);
  g_assert_true (kefu_permissions_allow (KEFU_ROLE_TECHNICIAN, ME, NULL, ticket,
                                         KEFU_TICKET_ACTION_VISIT_UPDATE));
  g_assert_false (kefu_permissions_allow (KEFU_ROLE_TECHNICIAN, ME, NULL, ticket,
                                          KEFU_TICKET_ACTION_VISIT_SCHEDULE));
  g_assert_true (kefu_permissions_allow_visit_update (KEFU_ROLE_TECHNICIAN, ME, ticket, mine));
  g_assert_false (kefu_permissions_allow_visit_update (KEFU_ROLE_TECHNICIAN, ME, ticket,
                                                       theirs));
  g_assert_true (kefu_permissions_allow_visit_update (KEFU_ROLE_SUPERVISOR, ME, ticket, theirs));
  g_assert_false (kefu_permissions_allow_visit_update (KEFU_ROLE_AGENT, ME, ticket, theirs));

  ticket->status = KEFU_STATUS_CLOSED;
  g_assert_false (kefu_permissions_allow_visit_update (KEFU_ROLE_SUPERVISOR, ME, ticket, mine));
}

static void
test_words_and_bounds (void)
{
  g_autoptr(KefuTicket) ticket = ticket_in (KEFU_STATUS_ASSIGNED, ME);
  g_autoptr(KefuConnection) connection = kefu_connection_new ();

  for (guint a = 0; a < KEFU_TICKET_ACTION_LAST; a++)
    g_assert_nonnull (kefu_ticket_action_to_string (a));
  g_assert_null (kefu_ticket_action_to_string (KEFU_TICKET_ACTION_LAST));
  g_assert_false (kefu_permissions_allow (KEFU_ROLE_LAST, ME, NULL, ticket,
                                          KEFU_TICKET_ACTION_ACCEPT));
  g_assert_false (kefu_permissions_allow (KEFU_ROLE_TECHNICIAN, ME, NULL, ticket,
                                          KEFU_TICKET_ACTION_LAST));

  /* Signed out: nothing. */
  for (guint a = 0; a < KEFU_TICKET_ACTION_LAST; a++)
    g_assert_false (kefu_permissions_allow_for (connection, ticket, a));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/permissions/every-cell", test_every_cell);
  g_test_add_func ("/permissions/unassigned", test_unassigned);
  g_test_add_func ("/permissions/logistics", test_logistics);
  g_test_add_func ("/permissions/visit-technician", test_visit_technician);
  g_test_add_func ("/permissions/words-and-bounds", test_words_and_bounds);

  return g_test_run ();
}
