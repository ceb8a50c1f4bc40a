// S2 — the 2018 restaurant call: a table for four, at a restaurant that takes reservations only
// from five people. No booking, no personal data: a clear "just come in", with the wait.
import Parley
import ParleyScenarios

let run = await Scenarios.restaurant()
print(ScenarioReport.dialogue(of: run))
print(ScenarioReport.summary(of: run))
