// `kontor demo --tickets N`: a realistic service desk for trying the product at scale and for
// `make bench` — customers of very different sizes, experts with skills, a year of tickets whose
// status depends on their age, conversations with public replies and internal notes, and the
// history and search index the ticket service derives from them (TicketService::import).
//
// Deterministic for a seed (std::mt19937_64 with our own helpers, not std distributions, whose
// output differs between standard libraries). Running it again adds N more tickets to the same
// customers and experts.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <random>

#include "kontor/app/application.hpp"
#include "kontor/app/demo_support.hpp"
#include "kontor/core/clock.hpp"
#include "kontor/core/log.hpp"

namespace kontor::app {
namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::size_t kBatch = 1000;  // tickets per import transaction

struct Rng {
    std::mt19937_64 engine;
    // [0, n)
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(engine() % n); }
    // [lo, hi]
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(engine() % static_cast<std::uint64_t>(hi - lo + 1));
    }
    double unit() { return static_cast<double>(engine() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return unit() < p; }
    template <class T, std::size_t N>
    const T& pick(const std::array<T, N>& a) {
        return a[below(N)];
    }
    // An index by weights (weights need not sum to 1).
    template <std::size_t N>
    std::size_t weighted(const std::array<double, N>& w) {
        double total = 0;
        for (double x : w) total += x;
        double r = unit() * total;
        for (std::size_t i = 0; i < N; ++i) {
            if (r < w[i]) return i;
            r -= w[i];
        }
        return N - 1;
    }
};

constexpr std::array<const char*, 8> kCategories = {"network",  "windows",  "email",    "printer",
                                                    "accounts", "hardware", "software", "security"};

// Per category: what goes wrong, with what, and a line for the description.
struct Topic {
    std::array<const char*, 6> titles;
    std::array<const char*, 4> details;
};
constexpr std::array<Topic, 8> kTopics = {{
    {{"VPN drops every few minutes", "No internet in meeting room {room}",
      "Wi-Fi slow on floor {floor}", "Cannot reach the file server from {site}",
      "Firewall blocks the {app} update", "Switch in rack {rack} shows errors"},
     {"Since this morning the connection breaks off repeatedly.",
      "Colleagues on the same floor have the same problem.",
      "It worked yesterday; nothing was changed on our side as far as we know.",
      "Ping times are above 800 ms during the day."}},
    {{"Laptop does not boot after Windows update", "Blue screen when docking the notebook",
      "Windows asks for BitLocker recovery key", "Start menu does not open",
      "Update {kb} fails with error 0x800f0922", "Very slow login on {site} PCs"},
     {"The machine restarts in a loop and shows the recovery screen.",
      "It happens every time the docking station is connected.",
      "The user cannot work at the moment; please call back.",
      "The event log shows disk warnings since last week."}},
    {{"Outlook keeps asking for the password", "Shared mailbox {team} not visible",
      "Emails to {partner} bounce", "Calendar invitations arrive twice",
      "Mailbox of {person} is full", "Spam filter holds invoices from {partner}"},
     {"The prompt comes back every few minutes even with the right password.",
      "External senders get a 550 message back.",
      "This started after the migration to the new tenant.",
      "Please check the quarantine for messages from the last two days."}},
    {{"Printer on floor {floor} jams", "Cannot print from {app}", "Scanner sends empty PDFs",
      "Toner for printer {rack} is empty", "Print jobs stay in the queue",
      "New printer for the {team} team"},
     {"Paper jam message although there is no paper stuck.",
      "Jobs from Windows laptops stay at 'spooling'.",
      "The device shows error code E-{kb} on the display.",
      "Please install the driver on all PCs of the team."}},
    {{"New employee {person} starts on Monday", "Account of {person} is locked",
      "Reset MFA for {person}", "Remove access for leaver {person}",
      "Give {person} access to the {team} share", "Password reset for {person}"},
     {"Please create the account with the usual groups and a mailbox.",
      "The user entered the wrong password too often.",
      "The phone with the authenticator app was replaced.", "Access should end today at 18:00."}},
    {{"Monitor flickers at desk {room}", "Docking station not detected",
      "Keyboard and mouse for {person}", "Laptop battery swells",
      "Replace broken screen of notebook {rack}", "Headset crackles in {app} calls"},
     {"The device is still under warranty as far as we know.",
      "Please send a replacement to the {site} office.",
      "The problem started after the device fell from the desk.",
      "Serial number is on the sticker below the device."}},
    {{"{app} crashes on start", "Licence for {app} expired", "Install {app} for {person}",
      "{app} is very slow since the update", "Error when exporting from {app}",
      "Macro in {app} no longer works"},
     {"The error message says the licence server cannot be reached.",
      "Several users are affected, all on the current version.",
      "Please install it in the evening, the user works until 17:00.",
      "The export stops at 80 % without a message."}},
    {{"Suspicious email with link received", "Antivirus alert on {person}'s laptop",
      "Unknown login from abroad for {person}", "USB stick found in the car park",
      "Certificate of {app} expires soon", "Phishing test results for {team}"},
     {"The user clicked the link but did not enter a password.",
      "The alert says the threat was quarantined.",
      "Please check the sign-in logs and lock the account if needed.",
      "We would like a short report for the management."}},
}};

constexpr std::array<const char*, 12> kApps = {"Teams",      "Excel",   "SAP",        "DATEV",
                                               "AutoCAD",    "Zoom",    "Acrobat",    "Chrome",
                                               "Salesforce", "Lexware", "SharePoint", "OneDrive"};
constexpr std::array<const char*, 10> kPeople = {
    "Jana Fischer", "Tom Becker",   "Ali Yilmaz", "Sofia Wagner", "Lukas Braun",
    "Eva Schulz",   "Max Hoffmann", "Lea Koch",   "Ben Richter",  "Nina Wolf"};
constexpr std::array<const char*, 8> kTeams = {"Finance",   "Sales",      "Logistics", "HR",
                                               "Marketing", "Purchasing", "Legal",     "Reception"};
constexpr std::array<const char*, 8> kSites = {"Berlin",  "Hamburg", "Munich", "Cologne",
                                               "Leipzig", "Vienna",  "Zurich", "Dresden"};
constexpr std::array<const char*, 8> kPartners = {"bank",     "tax office", "supplier",
                                                  "insurer",  "auditor",    "logistics partner",
                                                  "landlord", "customer"};
constexpr std::array<const char*, 14> kStaffReplies = {
    "Thanks for your message, I am looking into it now.",
    "Could you send a screenshot of the error message?",
    "I have connected remotely and restarted the service; please try again.",
    "We have ordered a replacement, it should arrive in two days.",
    "The change is done. Please check whether it works for you.",
    "I have reset the settings; please sign out and in again.",
    "This is a known issue with the latest update; the fix is scheduled for tonight.",
    "Please restart the device once and tell me if the problem persists.",
    "I will come by on site tomorrow morning.",
    "The account is unlocked; the user can sign in again.",
    "We have adjusted the firewall rule.",
    "The licence has been renewed for another year.",
    "I have escalated this to the vendor and will update you.",
    "All done from our side; we will close the case if we hear nothing."};
constexpr std::array<const char*, 10> kCustomerReplies = {
    "Thank you, it works again.",
    "The problem is still there, unfortunately.",
    "Screenshot attached, the error appears right after login.",
    "Tomorrow morning works for us.",
    "Can you give us an update, please? The team cannot work.",
    "It happened again this morning.",
    "Thanks, you can close the case.",
    "The user is on holiday until next week.",
    "We tried a restart, no change.",
    "Perfect, thanks for the quick help!"};
constexpr std::array<const char*, 8> kInternalNotes = {
    "Customer has no maintenance contract for this device; check before ordering.",
    "Same issue as last month, root cause is the old switch firmware.",
    "Vendor case number requested, waiting for the reply.",
    "Escalate to second level if not solved by Friday.",
    "Billed as project work, not under the flat rate.",
    "Remote session recorded in the log; password was not shared.",
    "Check with the manager whether this counts against the SLA.",
    "Probably user error, but be polite."};

std::string fill(std::string text, Rng& rng) {
    const auto replace = [&](const std::string& key, const std::string& value) {
        for (auto pos = text.find(key); pos != std::string::npos; pos = text.find(key))
            text.replace(pos, key.size(), value);
    };
    replace("{room}", std::to_string(rng.between(1, 40)));
    replace("{floor}", std::to_string(rng.between(0, 8)));
    replace("{rack}", "R" + std::to_string(rng.between(1, 60)));
    replace("{kb}", std::to_string(rng.between(4000, 9999)));
    replace("{app}", rng.pick(kApps));
    replace("{person}", rng.pick(kPeople));
    replace("{team}", rng.pick(kTeams));
    replace("{site}", rng.pick(kSites));
    replace("{partner}", rng.pick(kPartners));
    return text;
}

using demo::must;

struct DemoCustomer {
    core::OrganizationId id;
    std::vector<core::UserId> contacts;
};
struct DemoExpert {
    core::UserId id;
    std::vector<std::size_t> categories;
};

// The generated customers (external_ref demo-customer-NNN), created when missing. Customer 0 is
// Acme (the demo organisation with the signed-in portal users), so it gets the most tickets.
std::vector<DemoCustomer> ensure_customers(Core& core, const identity::Actor& actor,
                                           const core::TenantId& tenant, int count) {
    std::map<std::string, core::OrganizationId> existing;
    customers::CustomerQuery query;
    query.page.limit = 100;
    for (query.page.page = 1;; ++query.page.page) {
        const auto page = must(core.customers().list(actor, tenant, query), "customers");
        for (const auto& c : page.items)
            existing.emplace(c.external_ref.value_or("name:" + c.name), c.id);
        if (page.items.size() < static_cast<std::size_t>(query.page.limit)) break;
    }
    std::vector<DemoCustomer> out;
    const auto acme = existing.find("name:Acme Corporation");
    if (acme == existing.end()) throw std::runtime_error("the demo customer Acme is missing");
    DemoCustomer first{acme->second, {}};
    for (const char* email : {"anna@acme.example", "carl@acme.example"}) {
        if (auto u = core.users().find_by_email(email)) first.contacts.push_back(u->id);
    }
    out.push_back(std::move(first));
    static constexpr std::array<const char*, 12> kKinds = {
        "GmbH", "AG",  "KG",     "e.V.",    "GmbH & Co. KG", "Ltd",
        "SE",   "OHG", "Praxis", "Kanzlei", "Stiftung",      "Verlag"};
    static constexpr std::array<const char*, 16> kNames = {
        "Nordlicht", "Bergmann", "Elbe",   "Hansa",  "Alpen",  "Rhein", "Sonnen", "Lindner",
        "Kranich",   "Weber",    "Falken", "Eichen", "Blauer", "Adler", "Mosel",  "Brandt"};
    for (int i = 1; i < count; ++i) {
        char ref[32];
        std::snprintf(ref, sizeof ref, "demo-customer-%03d", i);
        char domain[32];
        std::snprintf(domain, sizeof domain, "c%03d.demo.example", i);
        DemoCustomer c;
        if (const auto found = existing.find(ref); found != existing.end()) {
            c.id = found->second;
        } else {
            customers::CustomerInput in;
            in.name = std::string(kNames[static_cast<std::size_t>(i) % kNames.size()]) + " " +
                      std::to_string(i) + " " + kKinds[static_cast<std::size_t>(i) % kKinds.size()];
            in.domain = std::optional<std::string>(domain);
            in.contact_email = std::optional<std::string>(std::string("it@") + domain);
            in.external_ref = std::optional<std::string>(ref);
            c.id = must(core.customers().create(actor, tenant, in), "demo customer").id;
        }
        // Two portal contacts each, invited (no password): requesters of the generated tickets.
        for (int k = 1; k <= 2; ++k) {
            const std::string email = "contact" + std::to_string(k) + "@" + domain;
            if (auto u = core.users().find_by_email(email)) {
                c.contacts.push_back(u->id);
                continue;
            }
            identity::NewUser nu;
            nu.tenant = tenant;
            nu.email = email;
            nu.name = std::string(kPeople[static_cast<std::size_t>(i * 2 + k) % kPeople.size()]) +
                      " (" + ref + ")";
            nu.role = k == 1 ? identity::Role::kCustomerAdmin : identity::Role::kClient;
            nu.customer = c.id;
            c.contacts.push_back(must(core.users().create(nu), "demo contact").id);
        }
        out.push_back(std::move(c));
    }
    return out;
}

// expert01@demo.example … with the demo password and two or three skills each.
std::vector<DemoExpert> ensure_experts(Core& core, const core::TenantId& tenant, int count,
                                       const std::string& password) {
    std::vector<DemoExpert> out;
    for (int i = 1; i <= count; ++i) {
        char email[40];
        std::snprintf(email, sizeof email, "expert%02d@demo.example", i);
        DemoExpert e;
        const auto n = static_cast<std::size_t>(i);
        e.categories = {n % kCategories.size(), (n * 3 + 1) % kCategories.size()};
        if (i % 3 == 0) e.categories.push_back((n * 5 + 2) % kCategories.size());
        if (auto u = core.users().find_by_email(email)) {
            e.id = u->id;
        } else {
            identity::NewUser nu;
            nu.tenant = tenant;
            nu.email = email;
            nu.name = "Expert " + std::to_string(i);
            nu.role = identity::Role::kExpert;
            nu.password = password;
            nu.hourly_rate = identity::HourlyRate{8000 + 500 * (i % 5), "EUR"};
            e.id = must(core.users().create(nu), "demo expert").id;
            std::vector<identity::Expertise> skills;
            for (auto c : e.categories)
                skills.push_back({kCategories[c], static_cast<int>(2 + (n + c) % 4)});
            must(core.users().set_expertise(e.id, skills), "demo expertise");
        }
        out.push_back(std::move(e));
    }
    return out;
}

// Customer sizes follow a power law (a few large accounts, a long tail).
std::vector<double> customer_weights(std::size_t n) {
    std::vector<double> w(n);
    for (std::size_t i = 0; i < n; ++i) w[i] = 1.0 / std::pow(static_cast<double>(i + 1), 0.8);
    return w;
}

std::size_t pick_weighted(Rng& rng, const std::vector<double>& cumulative) {
    const double r = rng.unit() * cumulative.back();
    return static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), r) -
                                    cumulative.begin());
}

// A creation time in the last 365 days, mostly on weekdays during office hours (UTC+1-ish).
std::int64_t created_time(Rng& rng, std::int64_t now) {
    while (true) {
        const std::int64_t day_start = (now / kDay - rng.between(0, 364)) * kDay;
        const std::int64_t weekday = (day_start / kDay + 3) % 7;  // 0 = Monday (1970-01-01: Thu)
        if (weekday >= 5 && !rng.chance(0.1)) continue;
        const std::int64_t hour = rng.chance(0.85) ? rng.between(7, 16) : rng.between(0, 23);
        const std::int64_t t = day_start + hour * kHour + rng.between(0, kHour - 1);
        if (t < now - kMinute) return t;
    }
}

tickets::ImportedTicket make_ticket(Rng& rng, std::int64_t now, std::int64_t created_at,
                                    const std::vector<DemoCustomer>& customers,
                                    const std::vector<double>& cumulative,
                                    const std::vector<DemoExpert>& experts,
                                    const std::vector<std::vector<std::size_t>>& by_category) {
    using tickets::Status;
    tickets::ImportedTicket t;
    const auto category = rng.below(kCategories.size());
    const Topic& topic = kTopics[category];
    t.title = fill(rng.pick(topic.titles), rng);
    t.description =
        fill(rng.pick(topic.details), rng) + "\n\n" + fill(rng.pick(topic.details), rng);
    t.category = kCategories[category];
    t.priority = static_cast<tickets::Priority>(rng.weighted(std::array{30.0, 45.0, 20.0, 5.0}));
    if (rng.chance(0.3)) {
        static constexpr std::array<const char*, 6> kTags = {"vip",    "onsite",    "remote",
                                                             "vendor", "recurring", "billing"};
        t.tags = {rng.pick(kTags)};
        if (rng.chance(0.3)) t.tags.push_back(rng.pick(kTags));
        std::sort(t.tags.begin(), t.tags.end());
        t.tags.erase(std::unique(t.tags.begin(), t.tags.end()), t.tags.end());
    }
    const auto& customer = customers[pick_weighted(rng, cumulative)];
    t.customer = customer.id;
    if (!customer.contacts.empty())
        t.requester = customer.contacts[rng.below(customer.contacts.size())];
    static constexpr std::array<const char*, 4> kSourceNames = {"portal", "email", "phone", "api"};
    t.source = kSourceNames[rng.weighted(std::array{55.0, 25.0, 10.0, 10.0})];
    t.created_at = created_at;

    // Older tickets are mostly done; the last month holds the open work.
    const std::int64_t age = now - t.created_at;
    if (age > 30 * kDay)
        t.status = static_cast<Status>(
            rng.weighted(std::array{0.3, 0.4, 0.6, 0.7, 8.0, 90.0}));  // new … closed
    else if (age > 2 * kDay)
        t.status = static_cast<Status>(rng.weighted(std::array{4.0, 8.0, 22.0, 16.0, 25.0, 25.0}));
    else
        t.status = static_cast<Status>(rng.weighted(std::array{35.0, 25.0, 25.0, 8.0, 5.0, 2.0}));
    if (t.status != Status::kNew) {
        // Mostly someone with the skill; now and then whoever was free.
        const auto& skilled = by_category[category];
        t.assignee = skilled.empty() || rng.chance(0.1)
                         ? experts[rng.below(experts.size())].id
                         : experts[skilled[rng.below(skilled.size())]].id;
        // A few finished tickets were never assigned (solved by a phone call at the desk).
        if ((t.status == Status::kResolved || t.status == Status::kClosed) && rng.chance(0.03))
            t.assignee.reset();
    }

    // The life of the ticket, clamped to now.
    std::int64_t at = t.created_at;
    const auto advance = [&](std::int64_t lo, std::int64_t hi) {
        at = std::min(at + rng.between(lo, hi), now - 1);
        return at;
    };
    const bool worked = t.status != Status::kNew && t.status != Status::kAssigned;
    if (worked) t.first_response_at = advance(5 * kMinute, rng.chance(0.8) ? 4 * kHour : 3 * kDay);
    std::vector<tickets::ImportedComment> comments;
    if (worked) {
        const auto& staff = t.assignee ? *t.assignee : experts[rng.below(experts.size())].id;
        comments.push_back({staff, rng.pick(kStaffReplies), "public", *t.first_response_at});
        const auto more = rng.between(0, 5);
        for (std::int64_t i = 0; i < more; ++i) {
            const std::int64_t when = advance(10 * kMinute, rng.chance(0.7) ? 4 * kHour : kDay);
            if (rng.chance(0.2))
                comments.push_back({staff, rng.pick(kInternalNotes), "internal", when});
            else if (i % 2 == 0 && t.requester)
                comments.push_back({t.requester, rng.pick(kCustomerReplies), "public", when});
            else
                comments.push_back({staff, rng.pick(kStaffReplies), "public", when});
        }
    }
    if (t.status == Status::kResolved || t.status == Status::kClosed)
        t.resolved_at = advance(30 * kMinute, rng.chance(0.7) ? 8 * kHour : 2 * kDay);
    if (t.status == Status::kClosed) t.closed_at = advance(kHour, 7 * kDay);
    t.updated_at = at;
    t.comments = std::move(comments);
    return t;
}

}  // namespace

void load_demo_tickets(Core& core, const TicketDemoOptions& options) {
    load_demo(core, false, /*with_cases=*/false);
    const auto tenant = core.tenants().find("demo");
    if (!tenant) throw std::runtime_error("the demo tenant is missing");
    const identity::Actor actor = demo::manager_of(tenant->id);
    const std::string password = demo::password();

    const auto customers = ensure_customers(core, actor, tenant->id, options.customers);
    const auto experts = ensure_experts(core, tenant->id, options.experts, password);
    std::vector<std::vector<std::size_t>> by_category(kCategories.size());
    for (std::size_t e = 0; e < experts.size(); ++e)
        for (auto c : experts[e].categories) by_category[c].push_back(e);
    const auto weights = customer_weights(customers.size());
    std::vector<double> cumulative(weights.size());
    std::partial_sum(weights.begin(), weights.end(), cumulative.begin());

    Rng rng{std::mt19937_64{options.seed}};
    const std::int64_t now = core::now_ms();
    const auto started = core::now_ms();
    // Creation times first, in order, so numbers grow with creation time as they would have.
    std::vector<std::int64_t> times(static_cast<std::size_t>(options.tickets));
    for (auto& t : times) t = created_time(rng, now);
    std::sort(times.begin(), times.end());
    std::vector<tickets::ImportedTicket> batch;
    batch.reserve(kBatch);
    for (std::size_t loaded = 0; loaded < times.size();) {
        const std::size_t n = std::min(kBatch, times.size() - loaded);
        batch.clear();
        for (std::size_t i = 0; i < n; ++i)
            batch.push_back(make_ticket(rng, now, times[loaded + i], customers, cumulative, experts,
                                        by_category));
        must(core.tickets().import(actor, tenant->id, batch), "demo tickets");
        loaded += n;
        if (loaded % 10'000 == 0 || loaded == times.size())
            core::log::info("demo tickets", {{"loaded", loaded}, {"of", times.size()}});
    }
    core::log::info("demo tickets loaded", {{"tickets", options.tickets},
                                            {"customers", customers.size()},
                                            {"experts", experts.size()},
                                            {"ms", core::now_ms() - started}});
}

}  // namespace kontor::app
