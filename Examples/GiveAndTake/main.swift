// S4 — give and take: a salon offers 10 % off for marketing e-mail. The person's policy decides,
// never the salon's bot: "never marketing", "only for at least 15 % off", or "ask me".
import Parley
import ParleyScenarios

for policy in Scenarios.MarketingPolicy.allCases {
    let (run, asked) = await Scenarios.giveAndTake(policy: policy, personSays: true)
    print("== policy: \(policy.rawValue) (the person was asked \(asked) time(s))")
    print(ScenarioReport.dialogue(of: run))
    print(ScenarioReport.summary(of: run))
}
