# ctest runs tests in descending COST when it has no timings of its own: these wait for real-time
# windows (a dead lock watched for two minutes, a 60 s lockout, a 60 s approval window), so they
# go first. set_tests_properties fails the run if one of them is renamed without updating this.
set_tests_properties(
    SleepyLockFlow.ALockWhoseBatteryDiedIsNotDialledOverAndOverGoesOfflineAndStaysQuiet
    PROPERTIES COST 120)
set_tests_properties(
    AlarmFlow.AnUnlockRequestApprovedInTimeUnlocksOnceAndALateApprovalExpires
    CodeFlow.FiveWrongCodesLockOutForAMinuteEvenAcrossAKill
    PROPERTIES COST 60)
