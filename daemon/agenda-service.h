/* agenda-service.h: LpcAgendaService, the org.lpcagenda.Agenda1 object — the
 * generated skeleton with thin handlers that check the caller, translate
 * a{sv} to and from the core's structs, and call LpcAgenda. */
#pragma once

#include "agenda.h"
#include "lpc-agenda-generated.h"

G_BEGIN_DECLS

#define LPC_TYPE_AGENDA_SERVICE (lpc_agenda_service_get_type ())
G_DECLARE_FINAL_TYPE (LpcAgendaService, lpc_agenda_service, LPC, AGENDA_SERVICE, LpcAgenda1Skeleton)

/* @agenda is borrowed: it must outlive the service. */
LpcAgendaService *lpc_agenda_service_new (LpcAgenda *agenda);

G_END_DECLS
