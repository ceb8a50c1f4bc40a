// S1 — the 2018 hair-salon call, played bot to bot.
//
// Lisa's assistant asks Salon Krause for a women's haircut on 3 May, ideally at 12:00,
// 10:00–12:00 also fine. 12:00 is taken; the salon offers 13:15; the assistant asks for the
// 10:00–12:00 window instead; the salon asks which haircut exactly; the assistant answers; the
// salon offers 10:00; the assistant accepts; the salon asks for a first name to hold the booking;
// Lisa's policy allows exactly that; the salon confirms.
import Parley
import ParleyScenarios

let run = await Scenarios.haircut()
print(ScenarioReport.dialogue(of: run))
print(ScenarioReport.summary(of: run))
