"""Every fixed sentence the printed plan uses, in one place.

Kept together so they can be read, checked for reading level (tests) and
one day translated, without hunting through layout code. Grade 8 or below.
"""

TITLE = "Your back exercise plan"
FOCUS_HEADING = "What this plan focuses on, and why"
FOCUS_INTRO = "The plan starts gently and builds strength step by step. Your answers shaped it:"
# FOCUS_INTRO where no strength dose rises in the plan, or no dose at all (the minutes asked for are full):
# the cover never promises a rise the routines do not give
FOCUS_INTRO_STEPS = "The plan starts gently and moves on a step at a time. Your answers shaped it:"
FOCUS_INTRO_STEADY = "The plan starts gently and keeps each dose the same, so you can learn each move well. " \
    "Your answers shaped it:"
SHOW_PROFESSIONAL = "Show this plan to your doctor or physiotherapist before you start."
BEFORE_HEADING = "Before you start"
WARNING_BOX = "Warning signs: get help now"
HOW_TO = (
    "Your routines list each session's exercises in order, with the dose for each week. Sessions A and B "
    "take turns; only A has strength work. In an A session, do the rows marked A; in a B session, the rows "
    "marked B.",
    "Each exercise has a numbered card: how to do it, why it is in your plan, and your first and last dose. "
    "'4, p. 7' in a row means card 4, on page 7. "
    "'10 times, hold 5 s' means you hold for 5 seconds every time.",
    "After each session, tick its box in your log and write your pain from 0 (none) to 10 (worst). "
    "Answer the weekly check before each week.",
)
# HOW_TO's first point where every session is routine A (three days a week): there is no B to take turns with
HOW_TO_ONE_ROUTINE = ("Your routines list each session's exercises in order, with the dose for each week. "
                      "Every session is an A session: do all of its rows.")
ROUTINES_HEADING = "Your routines"
ROUTINE_TITLE = "Session {routine}, {phase}: {weeks}"
ROUTINES_TITLE = "{phase}: {weeks}"
SESSION_COLUMN = "Session"
IN_BOTH = "A and B"
CARD_COLUMN = "Card"
EXERCISE_COLUMN = "Exercise"
CHECK_COLUMN = "Weekly check"
CHECK_CELL = "\u2610 go ahead\n\u2610 same again"
CHECK_FIRST = "first week"
CHECK_NONE = "same doses: no check"  # a week in which no dose rises needs no check
PAIN_CELL = "pain"
SESSIONS_A_WEEK = "{days} sessions a week, about {minutes} minutes each."
SESSIONS_RANGE = "{days} sessions a week, about {low} to {high} minutes each."
SHORTER_THAN_ASKED = ("You asked for {asked} minutes. Some sessions take less than that, because doses start low "
                      "and any rise is a small step. Do not add more to fill the time. A walk is a good way to use it.")
IN_WEEK = " in week {a}"
IN_WEEKS = " in weeks {a} to {b}"
IN_WEEKS_LIST = " in weeks {weeks} and {last}"  # runs of weeks with gaps between
WEEK_RUN = "{a} to {b}"
HOW_OFTEN_ALL = "Every session{weeks}: {n} in all."
HOW_OFTEN_A = "Sessions A{weeks}: {n} in all, never two days running."
HOW_OFTEN_SOME = "{n} sessions{weeks}. Your routines show which."
TOO_THIN = ("Your answers leave too few exercises that are safe to do alone for a full plan. A plan needs at least one "
            "strength exercise and three exercises in each session. A physiotherapist can choose ones that suit you.")
LEFT_OUT = "did not fit in the sessions in {n} week(s)"
NEVER_FITTED = "never fitted in the sessions"
LEFT_OUT_CAP = "left out to keep the plan to {n} exercises, so it is easier to keep up"
CARDS_HEADING = "Exercise cards"
CARD_TITLE = "{n}. {name}"
DOSE_LABEL = "Dose:"
DOSE_ONE = "Week {week}: {dose}."
DOSE_SAME = "Weeks {a} to {b}: {dose}."
DOSE_RANGE = "Week {a}: {first}. Week {b}: {last}."
HOW_OFTEN_LABEL = "How often:"
CARE_LABEL = "Take care:"
LATER_LABEL = "Later on:"
WHY_LABEL = "Why it is in your plan:"
WHY_SAME = "The same as for card {n}."  # the reasons, printed in full on that earlier card
AIM_LABEL = "Aim:"
ADVICE_HEADING = "Daily habits"
ADVICE_INTRO = "What you do between sessions matters as much as the exercises."
LOG_HEADING = "Your calendar and log"
LOG_INTRO = ("Tick a session's box when you have done it, and write your pain: 0 (none) to 10 (worst). "
             "Answer this check before each week. Your pain rule is in 'Before you start'.")
DISCLAIMER = "plan-gen gives general exercise advice, not a diagnosis. Stop and get help if pain gets worse."
# A referral page gives no exercise advice of any kind, its footer included.
REFERRAL_DISCLAIMER = ("plan-gen does not diagnose. This page helps you tell a doctor or physiotherapist "
                       "what is going on.")

URGENT_HEADING = "Get emergency care now"
REFER_HEADING = "Please see a doctor before you exercise"
URGENT_INTRO = ("Some of your answers are warning signs that need emergency care. Go to an emergency "
                "department or call your local emergency number now. Do not start any exercises.")
REFER_INTRO = ("Some of your answers mean a doctor or physiotherapist should check your back first. "
               "Please see one before you start any exercise plan. This is a safety step, not a diagnosis.")
ANSWERS_HEADING = "The answers that led here"
NEXT_HEADING = "What to do next"
URGENT_STEPS = (
    "Get emergency care now. Go to an emergency department or call an ambulance.",
    "Take this page with you, or tell the staff the answers listed above.",
)
REFER_STEPS = (
    "Book a visit with your doctor or a physiotherapist within one to two weeks.",
    "Take this page with you and show them the answers listed above.",
)

# Referral pages, questionnaire version 2: the time frame is the page's first line (docs/triage.md).
TIME_NOW = "Now: get help now. Call your local emergency number, or go to the nearest emergency department."
TIME_TODAY = "Today: see a doctor today. If your doctor's office is closed, go to an urgent care service."
TIME_SOON = "Soon: see a doctor or physiotherapist within one to two weeks."
TODAY_HEADING = "Please see a doctor today"
TODAY_INTRO = ("Some of your answers mean a doctor should see you today, before you do any exercise. "
               "This is a safety step, not a diagnosis.")
TODAY_STEPS = (
    "Call your doctor today and ask to be seen today. If they are closed, use an urgent care service.",
    "Take this page with you and show them the answers listed above.",
)
TELL_HEADING = "What to tell them"
TELL_INTRO = "Show them this page, or tell them these things in your own words:"
NOT_ASKED_INTRO = ("Your form did not ask these questions. Please answer them for the doctor:")
WORSE_HEADING = "If it gets worse while you wait"
COME_BACK_HEADING = "How to get your exercise plan later"
COME_BACK_CLEARED = ("Once a doctor or physiotherapist has checked you and says exercise is fine, answer the "
                     "questions again. Answer yes to the question 'Cleared to exercise'. Then plan-gen will "
                     "make your plan.")
# A referral no clearance lifts (docs/triage.md): some of its signs never go for this bout of pain (a past
# cancer with a first bout, pain that began with an injury, a small fall at 70 or over), so no plan is promised.
AFTER_VISIT_HEADING = "Exercise after your visit"
COME_BACK_SIGNS = ("Ask the doctor or physiotherapist who sees you what exercise is right for you. plan-gen makes a "
                   "plan only once every warning sign above has gone. A yes to 'Cleared to exercise' does not lift "
                   "them. Some never go, such as cancer with a first bout of back pain, or pain that began with an "
                   "injury or with a fall at 70 or over. Then plan-gen will not make you a plan.")
WRITTEN_ON = "Written on"

# The clinician's copy (--clinician-copy): one page for the clinic's file, never part of the patient's pages.
CLINIC_HEADING = "For the clinic's file"
CLINIC_INTRO = ("This page is for the clinic, not the patient's plan. It shows the answers as given, the rules "
                "that fired, what was left out and why, and the versions that made the plan.")
CLINIC_STATUS = "Status"
CLINIC_TIME_FRAME = "time frame"
CLINIC_STATUS_PLAN = "exercise plan"
CLINIC_STATUS_SEE = "referral: see a professional"
CLINIC_STATUS_URGENT = "referral: emergency care"
CLINIC_NOT_ASKED = "Not asked (version 1 form): "
CLINIC_FLAGS = "Warning signs answered yes"
CLINIC_RULES = "Rules that fired"
CLINIC_LEFT_OUT = "Left out, and why"
CLINIC_RULED_OUT = "Ruled out by {rules}"
CLINIC_UNTIL = " until week {week}"
CLINIC_NOTHING_LEFT_OUT = "Nothing was left out."
CLINIC_VERSIONS = "Versions and digests"
