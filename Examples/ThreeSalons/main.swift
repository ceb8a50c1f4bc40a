// S3 — contract net: the assistant asks three salons at once, compares their offers by Lisa's
// preferences (nearest 12:00, then price), accepts the best and rejects the others politely.
// Only the winner receives any personal data.
import Parley
import ParleyScenarios

let run = await Scenarios.threeSalons()
print(ScenarioReport.dialogue(of: run))
print(ScenarioReport.summary(of: run))
