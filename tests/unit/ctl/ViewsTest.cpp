#include <gtest/gtest.h>

#include "ctl/Views.h"

namespace lockhub::ctl {
namespace {

using nlohmann::json;

const json kAlice = {{"id", 1}, {"name", "Alice"}};

TEST(CtlViews, CellsForEveryJsonType) {
    EXPECT_EQ(cell(nullptr), "-");
    EXPECT_EQ(cell(true), "yes");
    EXPECT_EQ(cell(false), "no");
    EXPECT_EQ(cell(80), "80");
    EXPECT_EQ(cell("front"), "front");
    EXPECT_EQ(cell(json{{"a", 1}}), "{\"a\":1}");
    EXPECT_EQ(userName(nullptr), "-");
    EXPECT_EQ(userName(kAlice), "Alice");
}

TEST(CtlViews, AnUnlockLineNamesTheUser) {
    const json event = {{"event_id", "5675db7e1368ce73"},
                        {"event", "unlock"},
                        {"method", "fingerprint"},
                        {"credential", 3},
                        {"user", kAlice},
                        {"lock_time", "2023-11-14T22:13:20Z"},
                        {"hub_time", "2023-11-14T22:13:32.345Z"},
                        {"dp", 12}};
    EXPECT_EQ(eventLine("front", event),
              "2023-11-14T22:13:32.345Z  front  unlock  fingerprint #3  Alice");
    auto unnamed = event;
    unnamed["user"] = nullptr;
    EXPECT_EQ(eventLine("front", unnamed),
              "2023-11-14T22:13:32.345Z  front  unlock  fingerprint #3  (nobody named)");
}

TEST(CtlViews, AlarmsAndKeyUnlocksHaveNoUser) {
    EXPECT_EQ(eventLine("back", {{"event", "alarm"},
                                 {"method", nullptr},
                                 {"credential", nullptr},
                                 {"user", nullptr},
                                 {"alarm", "pry"},
                                 {"hub_time", "T"}}),
              "T  back  alarm  -  pry");
    EXPECT_EQ(eventLine("back", {{"event", "unlock"},
                                 {"method", "key"},
                                 {"credential", nullptr},
                                 {"user", nullptr},
                                 {"hub_time", "T"}}),
              "T  back  unlock  key");
}

TEST(CtlViews, EnrolProgressReadsAsASentence) {
    json progress = {{"event", "enrol_progress"},
                     {"enrolment", 2},
                     {"method", "fingerprint"},
                     {"user", kAlice},
                     {"stage", "running"},
                     {"count", 1},
                     {"credential", nullptr},
                     {"reason", nullptr},
                     {"hub_time", "T"}};
    EXPECT_EQ(enrolProgressLine(progress), "fingerprint enrolment for Alice: running, 1 touch");
    progress["stage"] = "timeout";
    progress["count"] = 3;
    progress["reason"] = "no finger";
    EXPECT_EQ(enrolProgressLine(progress),
              "fingerprint enrolment for Alice: timeout, 3 touches (no finger)");
    EXPECT_EQ(eventLine("front", progress),
              "T  front  fingerprint enrolment for Alice: timeout, 3 touches (no finger)");
}

TEST(CtlViews, LocksShowThePolicyMode) {
    const json locks = {{{"lock", "front-door"},
                         {"name", "Front Door"},
                         {"mac", "DC:23:58:09:00:00"},
                         {"product_id", "hrpmuxot"},
                         {"protocol", 4},
                         {"profile", "tuya-ble-lock"},
                         {"state", "locked"},
                         {"link", "ready"},
                         {"available", true},
                         {"battery", 80},
                         {"policy", {{"mode", "always"}, {"keep_alive_s", 30}}}}};
    EXPECT_EQ(
        locksTable(locks).text(),
        "LOCK        NAME        MAC                STATE   LINK   AVAILABLE  BATTERY  POLICY\n"
        "front-door  Front Door  DC:23:58:09:00:00  locked  ready  yes        80       always\n");
}

TEST(CtlViews, RecordsNameTheCodeAndTheTimeCorrection) {
    const json records = {{{"id", 9},
                           {"lock", "front"},
                           {"event_id", "e"},
                           {"event", "unlock"},
                           {"method", "offline"},
                           {"credential", nullptr},
                           {"user", nullptr},
                           {"lock_time", nullptr},
                           {"hub_time", "H"},
                           {"dp", 67},
                           {"code", {{"id", 4}, {"name", "cleaner"}}},
                           {"time_corrected", true}}};
    EXPECT_EQ(recordsTable(records).csv(),
              "ID,HUB_TIME,LOCK_TIME,LOCK,EVENT,METHOD,CREDENTIAL,USER_ID,USER,ALARM,CODE,"
              "TIME_CORRECTED,EVENT_ID\r\n"
              "9,H,-,front,unlock,offline,-,-,-,-,cleaner,yes,e\r\n");
}

TEST(CtlViews, DeletionsAtTheLocksWithTheirResults) {
    EXPECT_EQ(deletionsTable(
                  {{{"lock", "front"}, {"method", "card"}, {"credential", 1}, {"result", "ok"}},
                   {{"lock", "back"},
                    {"method", "fingerprint"},
                    {"credential", 4},
                    {"result", "timeout"},
                    {"message", "no answer"}}})
                  .text(),
              "LOCK   METHOD       CREDENTIAL  RESULT   MESSAGE\n"
              "front  card         1           ok\n"
              "back   fingerprint  4           timeout  no answer\n");
}

TEST(CtlViews, CredentialsAndUsers) {
    EXPECT_EQ(credentialsTable({{{"lock", "front"},
                                 {"method", "card"},
                                 {"credential", 9},
                                 {"user", nullptr},
                                 {"duress", true}}})
                  .text(),
              "LOCK   METHOD  CREDENTIAL  USER  DURESS\n"
              "front  card    9           -     yes\n");
    EXPECT_EQ(usersTable({{{"id", 1}, {"name", "Alice"}, {"arrived", false}}}).text(),
              "ID  NAME   ARRIVED\n1   Alice  no\n");
}

TEST(CtlViews, ADiagnosisIsAChecklistInTheFaqOrder) {
    const json diagnosis = {
        {"lock", "front-door"},
        {"battery", {{"percent", 80}, {"ok", true}, {"verdict", "The battery is fine."}}},
        {"clock", {{"drift_s", 300}, {"ok", false}, {"verdict", "The clock is 300 s ahead."}}},
        {"firmware", {{"protocol", "3"}, {"ok", nullptr}, {"verdict", "No handshake yet."}}},
        {"newer_check", {{"ok", true}, {"verdict", "Fine."}}},
        {"t0", {{"known", true}, {"ok", true}, {"verdict", "T0 is known."}}},
        {"alarms_active", {"pry", "low_battery"}}};
    EXPECT_EQ(diagnosisText(diagnosis),
              "CHECK        STATUS   VERDICT\n"
              "clock        problem  The clock is 300 s ahead.\n"
              "t0           ok       T0 is known.\n"
              "battery      ok       The battery is fine.\n"
              "firmware     -        No handshake yet.\n"
              "newer_check  ok       Fine.\n"
              "active alarms: pry, low_battery\n");
    EXPECT_EQ(diagnosisText({{"lock", "x"}, {"alarms_active", json::array()}}),
              "CHECK  STATUS  VERDICT\nactive alarms: none\n");
}

}  // namespace
}  // namespace lockhub::ctl
