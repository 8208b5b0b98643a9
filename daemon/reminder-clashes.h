/* reminder-clashes.h: the warning line of a reminder — for each pick, the
 * titles of the other picks it clashes with, as the conflict rules see the
 * agenda now (agenda-conflicts.h). Plain C, no D-Bus. */
#pragma once

#include "agenda.h"

G_BEGIN_DECLS

/* Entry id -> NULL-terminated char ** of titles (transfer full), sorted as
 * the partners' ids are; items that clash with nothing are left out. What
 * LpcReminderSchedulerHooks.dup_clashes hands the schedule. NULL and an
 * error when the agenda cannot be read. */
GHashTable *lpc_reminder_clashes_dup (LpcAgenda *agenda, GError **error);

G_END_DECLS
