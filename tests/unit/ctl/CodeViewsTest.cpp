// The codes views: what a host pastes to a guest, in the machine's time zone and in UTC.
#include <gtest/gtest.h>
#include <time.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "ctl/TempViews.h"
#include "ctl/Views.h"

namespace lockhub::ctl {
namespace {

using nlohmann::json;

// Sets TZ for one test and puts the previous value back.
class TimeZone {
public:
    explicit TimeZone(const char* zone) {
        if (const char* previous = std::getenv("TZ")) {
            previous_ = previous;
        }
        ::setenv("TZ", zone, 1);
        ::tzset();
    }
    ~TimeZone() {
        if (previous_) {
            ::setenv("TZ", previous_->c_str(), 1);
        } else {
            ::unsetenv("TZ");
        }
        ::tzset();
    }

private:
    std::optional<std::string> previous_;
};

// The example response of docs/mqtt-api.md ("Codes").
const json kPlumber = {{"id", 4},
                       {"lock", "front-door"},
                       {"type", "one_time"},
                       {"name", "Plumber"},
                       {"user", nullptr},
                       {"window", {{"start", "2026-12-01T14:00:00Z"}, {"end", nullptr}}},
                       {"serial", 1},
                       {"state", "issued"},
                       {"issued_at", "2026-12-01T14:12:09Z"},
                       {"changed_at", nullptr},
                       {"clears", nullptr},
                       {"code", "4830265791"},
                       {"validity",
                        {{"not_before", "2026-12-01T14:00:00Z"},
                         {"activate_by", "2026-12-01T20:00:00Z"},
                         {"not_after", "2026-12-01T20:00:00Z"},
                         {"uses", "single"}}},
                       {"rules",
                        {"single use", "valid from 2026-12-01T14:00:00Z",
                         "use within 6 h of the start (by 2026-12-01T20:00:00Z)"}},
                       {"alignment", nullptr}};

json timedForAlice() {
    json timed = kPlumber;
    timed["id"] = 3;
    timed["type"] = "timed";
    timed["name"] = "Guest";
    timed["user"] = {{"id", 1}, {"name", "Alice"}};
    timed["window"] = {{"start", "2026-06-30T22:00:00Z"}, {"end", "2026-07-02T10:00:00Z"}};
    timed["serial"] = nullptr;
    timed["code"] = "1234567890";
    timed["validity"] = {{"not_before", "2026-06-30T22:00:00Z"},
                         {"activate_by", "2026-07-01T22:00:00Z"},
                         {"not_after", "2026-07-02T10:00:00Z"},
                         {"uses", "unlimited"}};
    timed["rules"] = {"valid from 2026-06-30T22:00:00Z to 2026-07-02T10:00:00Z",
                      "use within 24 h of the start (by 2026-07-01T22:00:00Z), or it never opens",
                      "after its first use it opens again and again until the end"};
    timed["alignment"] =
        "offline codes count whole UTC hours: start rounded down from 2026-06-30T22:30:00Z to "
        "2026-06-30T22:00:00Z";
    return timed;
}

TEST(CtlCodeViews, HubTimesInTheLocalTimeZoneAndInUtc) {
    TimeZone berlin("Europe/Berlin");
    EXPECT_EQ(localAndUtc("2026-12-01T14:00:00Z"),
              "2026-12-01 15:00:00 CET (2026-12-01 14:00:00 UTC)");
    EXPECT_EQ(localAndUtc("2026-06-30T22:00:00Z"),
              "2026-07-01 00:00:00 CEST (2026-06-30 22:00:00 UTC)");
    EXPECT_EQ(localAndUtc(nullptr), "-");
    EXPECT_EQ(localAndUtc("tomorrow"), "tomorrow");
    EXPECT_EQ(localAndUtc("2026-12-01T14:00:00+01:00"), "2026-12-01T14:00:00+01:00");

    TimeZone utc("UTC");
    EXPECT_EQ(localAndUtc("2026-12-01T14:00:00Z"), "2026-12-01 14:00:00 UTC");
}

TEST(CtlCodeViews, AnIssuedOneTimeCodeReadyToPaste) {
    TimeZone berlin("Europe/Berlin");
    EXPECT_EQ(issuedCodeText(kPlumber),
              "Code:         4830265791\n"
              "Type:         one_time\n"
              "Name:         Plumber\n"
              "Lock:         front-door (code id 4)\n"
              "Valid from:   2026-12-01 15:00:00 CET (2026-12-01 14:00:00 UTC)\n"
              "Use by:       2026-12-01 21:00:00 CET (2026-12-01 20:00:00 UTC)\n"
              "Rules:\n"
              "- single use\n"
              "- valid from 2026-12-01T14:00:00Z\n"
              "- use within 6 h of the start (by 2026-12-01T20:00:00Z)\n");
}

TEST(CtlCodeViews, ATimedCodeNamesItsUserBothDeadlinesAndTheAlignment) {
    TimeZone berlin("Europe/Berlin");
    EXPECT_EQ(issuedCodeText(timedForAlice()),
              "Code:         1234567890\n"
              "Type:         timed\n"
              "Name:         Guest\n"
              "User:         Alice\n"
              "Lock:         front-door (code id 3)\n"
              "Valid from:   2026-07-01 00:00:00 CEST (2026-06-30 22:00:00 UTC)\n"
              "First use by: 2026-07-02 00:00:00 CEST (2026-07-01 22:00:00 UTC)\n"
              "Valid until:  2026-07-02 12:00:00 CEST (2026-07-02 10:00:00 UTC)\n"
              "Rules:\n"
              "- valid from 2026-06-30T22:00:00Z to 2026-07-02T10:00:00Z\n"
              "- use within 24 h of the start (by 2026-07-01T22:00:00Z), or it never opens\n"
              "- after its first use it opens again and again until the end\n"
              "Note: offline codes count whole UTC hours: start rounded down from "
              "2026-06-30T22:30:00Z to 2026-06-30T22:00:00Z\n");
}

TEST(CtlCodeViews, TheHubsClockWarningFollowsTheRules) {
    TimeZone utc("UTC");
    json drifted = timedForAlice();
    drifted["alignment"] = nullptr;
    drifted["clock_warning"] = "the lock's clock is 900 s behind the hub's";
    const auto text = issuedCodeText(drifted);
    EXPECT_TRUE(
        text.ends_with("- after its first use it opens again and again until the end\n"
                       "Warning: the lock's clock is 900 s behind the hub's\n"))
        << text;
}

TEST(CtlCodeViews, ADynamicCodeHasNoFirstUseDeadline) {
    TimeZone utc("UTC");
    json dynamic = kPlumber;
    dynamic["type"] = "dynamic";
    dynamic["code"] = "12345678";
    dynamic["validity"] = {{"not_before", "2026-12-01T14:05:00Z"},
                           {"activate_by", nullptr},
                           {"not_after", "2026-12-01T14:19:59Z"},
                           {"uses", "unlimited"}};
    dynamic["rules"] = json::array();
    const auto text = issuedCodeText(dynamic);
    EXPECT_NE(text.find("Valid from:   2026-12-01 14:05:00 UTC\n"
                        "Valid until:  2026-12-01 14:19:59 UTC\n"
                        "Rules:\n"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("use by"), std::string::npos) << text;
}

TEST(CtlCodeViews, ARevokedCodeMustBeTypedAtTheLock) {
    TimeZone utc("UTC");
    json clear = timedForAlice();
    clear["id"] = 5;
    clear["type"] = "clear_one";
    clear["name"] = "clear Guest";
    clear["code"] = "5550001112";
    clear["validity"]["uses"] = "single";
    clear["validity"]["activate_by"] = nullptr;
    clear["rules"] = {"single use; it does not open the door"};
    clear["alignment"] = nullptr;
    clear["clears"] = 3;
    clear["revokes"] = 3;
    EXPECT_EQ(revokedCodeText(clear),
              "Code:         5550001112\n"
              "Type:         clear_one\n"
              "Name:         clear Guest\n"
              "User:         Alice\n"
              "Lock:         front-door (code id 5)\n"
              "Valid from:   2026-06-30 22:00:00 UTC\n"
              "Valid until:  2026-07-02 10:00:00 UTC\n"
              "Rules:\n"
              "- single use; it does not open the door\n"
              "Clears:       code 3\n"
              "\n"
              "Type this clear-one code at the lock's keypad: offline codes cannot be revoked "
              "remotely.\n"
              "It clears code 3 only if the lock has already accepted that code; a code never "
              "typed stays\n"
              "usable until its first-use deadline.\n");
}

TEST(CtlCodeViews, TheCodeListShowsMetadataNeverDigits) {
    json listed = kPlumber;
    listed.erase("code");
    json timed = timedForAlice();
    timed.erase("code");
    timed["state"] = "activated";
    EXPECT_EQ(codesTable(json::array({timed, listed})).text(),
              "ID  TYPE      NAME     USER   WINDOW                                        STATE\n"
              "3   timed     Guest    Alice  2026-06-30T22:00:00Z to 2026-07-02T10:00:00Z  "
              "activated\n"
              "4   one_time  Plumber  -      from 2026-12-01T14:00:00Z                     "
              "issued\n");
}

TEST(CtlCodeViews, VerificationResults) {
    json plumber = kPlumber;
    plumber.erase("code");
    EXPECT_EQ(verifiedCodeText({{"lock", "front-door"},
                                {"valid", true},
                                {"result", "accepted"},
                                {"code", plumber},
                                {"cleared", json::array()},
                                {"unlock", "requested"}}),
              "accepted: code 4 \"Plumber\" (one_time)\n"
              "unlock requested: waiting for front-door's result\n");

    json courier = plumber;
    courier["id"] = 7;
    courier["type"] = "dynamic";
    courier["name"] = "Courier";
    courier["user"] = {{"id", 2}, {"name", "Bob"}};
    EXPECT_EQ(verifiedCodeText({{"lock", "front-door"},
                                {"result", "accepted"},
                                {"code", nullptr},
                                {"candidates", {plumber, courier}},
                                {"cleared", json::array()},
                                {"unlock", nullptr}}),
              "accepted: one of code 4 \"Plumber\" (one_time), code 7 \"Courier\" (dynamic) for "
              "Bob\n");

    EXPECT_EQ(verifiedCodeText({{"lock", "front-door"},
                                {"result", "cleared_all"},
                                {"code", nullptr},
                                {"cleared", {3, 4}},
                                {"unlock", "not_an_unlock_code"}}),
              "cleared_all: a code this hub did not issue\n"
              "cleared codes: 3, 4\n"
              "no unlock: a clear code does not open the lock\n");
}

// The example temp_password/create response of docs/mqtt-api.md.
const json kCleaner = {
    {"id", 3},
    {"lock", "front-door"},
    {"name", "Cleaner"},
    {"user", {{"id", 2}, {"name", "Bob"}}},
    {"window", {{"start", "2026-12-24T14:00:00Z"}, {"end", "2026-12-27T10:00:00Z"}}},
    {"uses", 0},
    {"revision", 1},
    {"hardware_id", nullptr},
    {"state", "pending"},
    {"queued", "create"},
    {"error", nullptr},
    {"created_at", "2026-12-01T12:00:00Z"},
    {"changed_at", "2026-12-01T12:00:00Z"}};

TEST(TempViews, APasswordShowsItsWindowInLocalTimeAndUtcAndWhatWaitsForTheLock) {
    TimeZone zone("Europe/Amsterdam");
    EXPECT_EQ(tempPasswordText(kCleaner),
              "Temporary password: Cleaner (id 3)\n"
              "Lock: front-door\n"
              "User: Bob\n"
              "Valid from: 2026-12-24 15:00:00 CET (2026-12-24 14:00:00 UTC)\n"
              "Valid until: 2026-12-27 11:00:00 CET (2026-12-27 10:00:00 UTC)\n"
              "Uses: unlimited\n"
              "State: pending (create waits for the lock's next connection)\n"
              "Revision: 1\n"
              "Hardware id: -\n");
    json refused = kCleaner;
    refused["user"] = nullptr;
    refused["uses"] = 2;
    refused["state"] = "failed";
    refused["queued"] = nullptr;
    refused["error"] = "no_free_slot";
    const auto text = tempPasswordText(refused);
    EXPECT_NE(text.find("Uses: 2\nState: failed\nLock said: no_free_slot\n"), std::string::npos)
        << text;
    EXPECT_EQ(text.find("User:"), std::string::npos);
}

TEST(TempViews, TheListIsOneRowPerPasswordWithoutDigits) {
    json active = kCleaner;
    active["state"] = "active";
    active["hardware_id"] = 4;
    EXPECT_EQ(tempPasswordsTable(json::array({active})).text(),
              "ID  NAME     USER  START                 END                   USES       STATE   "
              "REV  HW\n"
              "3   Cleaner  Bob   2026-12-24T14:00:00Z  2026-12-27T10:00:00Z  unlimited  active  "
              "1    4\n");
}

}  // namespace
}  // namespace lockhub::ctl
