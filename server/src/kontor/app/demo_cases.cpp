// Demo cases for `make run`: a week of Acme's service desk, so the portal and the desk open on
// real work — new cases in the unassigned queue (one past its SLA), cases in progress with
// public replies and internal notes, one waiting for the customer, resolved and closed ones.
// Loaded through TicketService::import (times in the past, SLA and history derived) when Acme
// has no cases yet.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "kontor/app/application.hpp"
#include "kontor/app/demo_support.hpp"
#include "kontor/core/clock.hpp"

namespace kontor::app {
namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

core::UserId user(Core& core, const char* email) {
    const auto found = core.users().find_by_email(email);
    if (!found) throw std::runtime_error(std::string("demo cases: no user ") + email);
    return found->id;
}

}  // namespace

void load_demo_cases(Core& core, const core::TenantId& tenant, const core::OrganizationId& acme) {
    using tickets::Priority;
    using tickets::Status;
    const identity::Actor actor = demo::manager_of(tenant);
    tickets::TicketQuery existing;
    existing.customer = acme;
    existing.page.limit = 1;
    if (demo::must(core.tickets().list(actor, tenant, existing), "demo cases").total > 0) return;

    const auto carl = user(core, "carl@acme.example");
    const auto anna = user(core, "anna@acme.example");
    const auto erik = user(core, "expert@demo.example");
    const auto mia = user(core, "manager@demo.example");
    const std::int64_t now = core::now_ms();
    const auto ago = [now](std::int64_t ms) { return now - ms; };
    const auto reply = [](core::UserId who, std::string body, std::int64_t at) {
        return tickets::ImportedComment{
            .author = std::move(who), .body = std::move(body), .visibility = "public", .at = at};
    };
    const auto note = [](core::UserId who, std::string body, std::int64_t at) {
        return tickets::ImportedComment{
            .author = std::move(who), .body = std::move(body), .visibility = "internal", .at = at};
    };

    std::vector<tickets::ImportedTicket> cases;
    const auto add = [&](tickets::ImportedTicket t) {
        t.customer = acme;
        t.source = "portal";
        // Last touched by the latest of its events.
        t.updated_at = t.created_at;
        for (const auto& at : {t.first_response_at, t.resolved_at, t.closed_at})
            if (at) t.updated_at = std::max(t.updated_at, *at);
        for (const auto& c : t.comments) t.updated_at = std::max(t.updated_at, c.at);
        cases.push_back(std::move(t));
    };

    add({.title = "Shared drive S: unreachable from the Hamburg office",
         .description = "Since this morning nobody in Hamburg can open S:. Berlin works. "
                        "Accounting needs the month-end files today.",
         .priority = Priority::kCritical,
         .category = "network",
         .requester = anna,
         .created_at = ago(6 * kHour)});
    add({.title = "Laptop for new colleague Jana Novak (starts Monday)",
         .description = "Please prepare a laptop with the standard image, Office and the VPN "
                        "client. Jana joins accounting on Monday at 09:00.",
         .priority = Priority::kMedium,
         .category = "onboarding",
         .requester = anna,
         .created_at = ago(3 * kHour)});
    add({.title = "VPN disconnects every 20 minutes",
         .description = "Working from home, the VPN drops about every 20 minutes and I have to "
                        "sign in again. Started after last week's update.",
         .status = Status::kInProgress,
         .priority = Priority::kHigh,
         .category = "network",
         .tags = {"remote"},
         .requester = carl,
         .assignee = erik,
         .created_at = ago(2 * kDay),
         .first_response_at = ago(2 * kDay - 40 * kMinute),
         .comments = {
             reply(erik,
                   "Thanks, Carl. Could you send us the log of the VPN client (Help → Export "
                   "log) after the next drop?",
                   ago(2 * kDay - 40 * kMinute)),
             note(erik,
                  "Acme's concentrator runs firmware 4.2 — known DTLS rekey bug. Check the "
                  "rekey interval (1200 s?) before we escalate to the vendor.",
                  ago(2 * kDay - 35 * kMinute)),
             reply(carl, "Here it is — it dropped at 14:32 again.", ago(1 * kDay)),
         }});
    add({.title = "Printer on the 2nd floor prints blank pages",
         .description = "The HP printer next to room 2.14 feeds paper but prints nothing.",
         .status = Status::kWaitingCustomer,
         .priority = Priority::kLow,
         .category = "printing",
         .requester = carl,
         .assignee = erik,
         .created_at = ago(5 * kDay),
         .first_response_at = ago(5 * kDay - 2 * kHour),
         .comments = {
             reply(erik,
                   "We ordered a new toner cartridge; it arrives tomorrow. Could you tell us "
                   "when someone is in room 2.14 so we can fit it?",
                   ago(5 * kDay - 2 * kHour)),
         }});
    add({.title = "Outlook keeps asking for my password",
         .description = "Every few minutes Outlook shows the password prompt again, even after "
                        "I enter it.",
         .status = Status::kAssigned,
         .priority = Priority::kMedium,
         .category = "email",
         .requester = carl,
         .assignee = erik,
         .created_at = ago(4 * kDay)});  // no answer for days: past its response time
    add({.title = "Two more portal users for accounting",
         .description = "Please add portal access for Jana Novak and Tom Berger (accounting).",
         .status = Status::kInProgress,
         .priority = Priority::kLow,
         .category = "accounts",
         .requester = anna,
         .assignee = mia,
         .created_at = ago(3 * kDay),
         .first_response_at = ago(3 * kDay - 3 * kHour),
         .comments = {
             reply(mia,
                   "Happy to. You can also invite them yourself under Users in the portal; "
                   "shall we do it for you this time?",
                   ago(3 * kDay - 3 * kHour)),
         }});
    add({.title = "Increase mailbox quota for the sales team",
         .description = "The sales mailboxes are at 98 %. Could they get 50 GB?",
         .status = Status::kResolved,
         .priority = Priority::kMedium,
         .category = "email",
         .requester = carl,
         .assignee = erik,
         .created_at = ago(9 * kDay),
         .first_response_at = ago(9 * kDay - 1 * kHour),
         .resolved_at = ago(8 * kDay),
         .comments = {
             reply(erik, "Done: the five sales mailboxes now have 50 GB each.", ago(8 * kDay)),
         }});
    add({.title = "Question about invoice 2026-09",
         .description = "The September invoice lists 8 additional hours; which cases were they?",
         .status = Status::kClosed,
         .priority = Priority::kLow,
         .category = "billing",
         .requester = anna,
         .assignee = mia,
         .created_at = ago(40 * kDay),
         .first_response_at = ago(40 * kDay - 4 * kHour),
         .resolved_at = ago(39 * kDay),
         .closed_at = ago(32 * kDay),
         .comments = {
             reply(mia,
                   "The hours were the office move (6 h) and the new firewall rules (2 h); the "
                   "breakdown is attached to the October report from now on.",
                   ago(39 * kDay)),
         }});
    demo::must(core.tickets().import(actor, tenant, cases), "demo cases");
}

}  // namespace kontor::app
