"""The sign lexicon of the urgent-care check: data only, read by ``urgent.py`` alone.

For each kind of emergency: how people describe it happening now (``examples``,
embedded once and compared by meaning) and ``rules`` for what meaning misses.
A rule is a tuple of word groups that must all appear in the message; a group is
a space-separated string of alternatives where ``_`` joins a phrase and a
trailing ``*`` matches any ending. Words are matched after typo correction
(``urgent.Lexicon``), so "chest pian" and "siezure" still match.

The examples were written for this lexicon (not copied from the evaluation
messages); the tune half of tests/data/urgent_messages.jsonl was used to find
what was missing, the test half and the holdout only to report.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sign:
    kind: str
    examples: tuple[str, ...]
    rules: tuple[tuple[str, ...], ...] = ()


SIGNS: tuple[Sign, ...] = (
    Sign("chest pain", (
        "i have crushing chest pain and my left arm feels numb",
        "my chest feels really tight and heavy and the pain goes into my jaw",
        "my husband is clutching his chest and sweating and cant breathe properly",
        "pain in the middle of my chest spreading to my arm and back, feel sick and clammy",
        "i think im having a heart attack",
        "my mum says her chest hurts badly and she feels faint and out of breath",
        "sudden squeezing pressure in my chest that wont go away",
        "dad has chest pain and has gone pale and grey",
    ), (
        ("chest", "pain* hurt* pressure tight* crush* squeez* heavy heaviness ach* burn* agony elephant"),
        ("heart_attack", "having think* hav* im is"),
    )),
    Sign("stroke", (
        "my dads face is drooping on one side and his speech is slurred",
        "my mum suddenly cant lift her arm and her words are coming out wrong",
        "one side of my face went numb and i cant speak properly",
        "my wife is suddenly confused and her mouth is lopsided",
        "my grandad cant move his left side and he isnt making sense",
        "i suddenly lost the sight in one eye and my arm feels weak",
        "i think my husband is having a stroke",
    ), (
        ("face mouth smile lip", "droop* lopsided fallen numb slant*"),
        ("speech words talk* speak* voice", "slur* garbl* jumbl* nonsense"),
        ("stroke", "having think* hav* is"),
        ("sudden* suddenly all_of_a_sudden", "cant_see lost_sight blind vision confus* cant_speak cant_talk"),
        ("arm leg side hand", "weak* numb* dead cant_lift cant_move cant_feel", "face speech words slur* droop* talk*"),
    )),
    Sign("breathing", (
        "i cant breathe properly and my lips are going blue",
        "my son is struggling to breathe and his inhaler isnt working",
        "she is gasping for air and cant speak in full sentences",
        "my baby is breathing really fast and the skin is sucking in under her ribs",
        "someone is choking on food and cant cough or breathe",
        "my dad cant get any air in and his fingers are turning blue",
    ), (
        ("cant cannot struggl* hard unable trouble barely", "breath* breathe* air"),
        ("gasp* choking choke*",),
        ("lips fingers fingertips face skin nails", "blue* grey gray purple"),
        ("wheez* inhaler", "cant not_helping isnt_helping not_working isnt_working sentences"),
        ("ribs", "suck* pull*"),
    )),
    Sign("anaphylaxis", (
        "my throat is closing up after eating nuts",
        "my son was stung by a bee and his face and lips are swelling and hes wheezing",
        "her tongue is swelling after she took a new medicine",
        "i ate shellfish and now i have hives all over and feel faint",
        "my daughter is having an allergic reaction and her lips are puffing up",
        "i need to use my epipen my mouth is swelling",
    ), (
        ("throat tongue lips lip face mouth eyes", "swell* swollen puff* closing", "sting stung bee wasp ate eating eaten peanut* nut* nuts cashew* shellfish shrimp prawn* allerg* medicine tablet hives welts wheez* faint dizzy cant_breathe cant_talk cant_swallow"),
        ("throat", "closing clos* tight*"),
        ("anaphyla*",),
        ("epipen epi_pen adrenaline",),
        ("allergic_reaction", "having hav* is think*"),
    )),
    Sign("bleeding", (
        "my son cut his arm badly and the bleeding wont stop",
        "theres blood everywhere and i cant stop it bleeding",
        "my dad is vomiting blood",
        "i am coughing up blood",
        "my wife has cut herself badly and blood is pouring out",
        "i have been throwing up something that looks like coffee grounds",
        "theres a lot of blood in my poo and i feel faint",
    ), (
        ("bleed* blood", "wont_stop not_stopping cant_stop wouldnt_stop everywhere lot loads pouring spurting soak* heavily gushing pool"),
        ("vomit* throw*_up threw_up throwing puk* sick cough* spit*", "blood bloody"),
        ("coffee_grounds",),
        ("deep", "gash cut wound"),
    )),
    Sign("collapse", (
        "my dad just collapsed and hes not responding",
        "she passed out and wont wake up",
        "someone fell down and isnt breathing",
        "my grandma fainted and is still unconscious",
        "my friend is unresponsive on the floor",
        "my husband fell and now he isnt answering me",
    ), (
        ("collaps* passed_out fainted faint* blacked_out dropped fell", "not_responding unresponsive wont_wake not_waking cant_wake not_breathing isnt_breathing isnt_answering not_answering unconscious not_moving"),
        ("unresponsive unconscious",),
        ("not_breathing isnt_breathing stopped_breathing",),
    )),
    Sign("seizure", (
        "my son is having a seizure and it has lasted more than five minutes",
        "my wife is shaking all over on the floor and it wont stop",
        "my brother is having a fit",
        "my dad keeps having seizures one after another",
        "my daughter is convulsing and not coming round",
    ), (
        ("seizur* fit fits fitting convuls* jerking shaking_all_over", "wont_stop not_stopping minutes keeps one_after still never first having hav* is"),
        ("seizur* convuls*",),
    )),
    Sign("poisoning", (
        "my toddler swallowed a button battery",
        "my son drank some bleach",
        "my daughter got into the medicine cabinet and ate some pills",
        "i accidentally took a double dose of my tablets and feel awful",
        "my husband breathed in fumes from mixing cleaning products and his chest burns",
        "my child ate a dishwasher tablet",
        "i think my dog walker gave my kid something poisonous",
    ), (
        ("swallow* ate eaten drank drunk chewed licked got_into breathed_in inhaled", "battery batteries bleach chemical* cleaner* detergent pod pods dishwasher_tablet antifreeze weed_killer poison* fumes ammonia"),
        ("swallow* ate eaten took taken taking got_into", "pill* tablet* capsule* medicine* meds paracetamol antidepressant* painkiller* sleeping_pills", "too_many whole all twice double extra accident* mistake handful bottle packet box dont_know_how_many how_many many_pills"),
        ("dishwasher_tablet button_battery batteries bleach detergent pod pods antifreeze weed_killer", "mouth found"),
        ("mix* mixed", "bleach ammonia chemical*"),
        ("overdos* od",),
    )),
    Sign("head injury", (
        "my son hit his head and now he keeps being sick",
        "my mum fell and banged her head and is getting drowsy",
        "my toddler fell off the bed onto his head and is hard to wake",
        "my husband was knocked out and now hes confused",
        "she hit her head and clear fluid is coming from her nose",
    ), (
        ("head", "hit banged bang* bumped knocked fell fall smack*", "vomit* sick throw* threw drows* sleepy confus* unconscious knocked_out fluid hard_to_wake wont_wake blacked_out seizure fit"),
    )),
    Sign("headache", (
        "i suddenly have the worst headache of my life",
        "a headache came on like a thunderclap and its unbearable",
        "explosive pain in the back of my head out of nowhere",
        "my dad says he has the worst headache ever and now he is drowsy",
    ), (
        ("worst", "headache head"),
        ("thunderclap explosive exploding",),
        ("sudden* suddenly came_on out_of_nowhere", "headache", "severe worst never unbearable"),
    )),
    Sign("infant fever", (
        "my 4 week old baby has a fever of 38",
        "my newborn feels very hot and has a temperature",
        "my 2 month old has a high temperature and isnt feeding",
        "my baby is 7 weeks old and burning up",
    ), (
        ("infant_age", "fever feverish temp* hot burning_up"),
    )),
    Sign("meningitis", (
        "my son has a fever and a stiff neck and a rash",
        "she has a rash that doesnt fade when i press a glass on it",
        "fever and i cant bend my neck and light hurts my eyes",
        "my toddler has purple spots that dont go away and is very drowsy",
    ), (
        ("stiff* neck", "fever temp* rash spots hot"),
        ("rash spots", "doesnt_fade dont_fade wont_fade not_fading glass dont_go_away didnt_go_away stayed"),
        ("neck", "cant_bend chin_to_chest move_his_neck move_her_neck cant_move screams"),
    )),
    Sign("pregnancy bleeding", (
        "im pregnant and bleeding heavily",
        "my wife is 30 weeks pregnant and bleeding",
        "i am pregnant and there is a lot of blood and bad cramps",
        "pregnant and soaking pads with blood",
    ), (
        ("pregnan*", "bleed* blood clots"),
    )),
    Sign("low blood sugar", (
        "my husband is diabetic and hes confused and sweating",
        "my sugar is really low and i cant think straight",
        "my son with type 1 is shaky and acting drunk",
        "my diabetic mum is not making sense and her blood sugar is low",
        "im on insulin and feel shaky and confused",
    ), (
        ("diabet* insulin sugar* hypo glucose type_1", "confus* not_making_sense drunk slurr* cant_think drows* unconscious unresponsive wont_wake passing_out shaking shaky cant_hold"),
    )),
)

SELF_HARM = Sign("self-harm", (
    "i want to kill myself",
    "i keep thinking about ending my life",
    "i dont want to be alive anymore",
    "i have been cutting myself",
    "i want to die",
    "everyone would be better off without me",
    "i have a plan to end it",
    "i took a load of pills because i wanted to die",
    "my friend says she is going to kill herself",
    "my son told me he wants to end his life",
    "i hurt myself on purpose when i feel bad",
    "i cant go on anymore i want it all to stop",
    "how many pills would it take to die",
    "i wont be here much longer, i have said my goodbyes",
    "i dont think ill be around much longer",
    "i have been planning how i would do it and picked a day",
    "i keep looking at the rope and thinking about using it",
    "i took pills with alcohol because i wanted to feel nothing",
    "i burn my skin to cope when things get bad",
), (
    ("kill* end* take* taking", "myself himself herself themselves my_life his_life her_life their_life it_all"),
    ("suicid*",),
    ("want* wanna wish*", "die dead disappear not_be_here not_wake"),
    ("better_off", "dead without_me"),
    ("cutting burn* harm* scratch*", "myself herself himself"),
    ("cut* hurt*", "myself herself himself", "on_purpose want* wanna urge* keep"),
    ("self_harm self-harm selfharm",),
    ("not_wake_up never_wake_up",),
    ("saying_goodbye said_goodbye texted_goodbye goodbye",),
    ("cant_take_it", "anymore pills"),
    ("ending", "it_all"),
    ("want* wanted", "it_all_to_stop feel_nothing to_stop_existing"),
    ("want_to_hurt want_to_harm want_to_cut urge_to_hurt urge_to_harm urge_to_cut",),
    ("burn* cut* scratch*", "my_arm my_arms my_skin my_legs my_wrist my_wrists my_thighs her_arms her_thighs his_arms", "lighter razor blade on_purpose"),
    ("rope noose", "thinking think* hang*"),
    ("wont_be_around not_be_around dont_see_myself_being_around",),
))

# Questions about serious conditions, not describing one happening now: they may get
# the softer "if this is happening now" line, never the urgent notice.
INFORMATIONAL: tuple[str, ...] = (
    "what are the symptoms of a heart attack",
    "how do you recognise a stroke",
    "what is anaphylaxis and how is it treated",
    "what are the signs of meningitis in children",
    "how do you give first aid to someone who is choking",
    "what should you do if someone has a seizure",
    "what is a dangerous fever for a baby",
    "what causes vomiting blood",
    "how do you know if a head injury is serious",
    "what are the signs of an overdose",
    "what is a hypo in diabetes and how do you treat it",
    "when is bleeding in pregnancy serious",
    "how do you use an epipen",
    "what does a brain bleed headache feel like",
    "what is the difference between angina and a heart attack",
    "how long should you wait before calling an ambulance for an asthma attack",
    "what household chemicals are poisonous",
    "my father had a stroke last year, how do we lower the risk of another one",
    "what is the survival rate of cardiac arrest",
    "how is sepsis diagnosed",
    "how do you do cpr",
    "how do you put someone in the recovery position",
    "what is the heimlich manoeuvre",
    "what should a first aid kit contain",
    "what are the signs of an ectopic pregnancy",
    "what is a prolonged seizure",
)

# Everyday health questions and messages, including ones that share words with the
# signs ("my arm goes numb when i sleep on it"): the contrast that keeps false alarms down.
ORDINARY: tuple[str, ...] = (
    "what stretches help tight hamstrings",
    "how often should i stretch",
    "what shoes are best for flat feet",
    "what is a normal resting heart rate",
    "my knee hurts when i run downhill",
    "how much water should i drink a day",
    "is it ok to exercise with a cold",
    "my back aches after sitting at my desk all day",
    "how long does a sprained ankle take to heal",
    "what helps with a stuffy nose",
    "my muscles are sore after the gym",
    "my chest is a bit sore after doing push ups",
    "i get a headache when i dont drink enough water",
    "my arm went numb after i slept on it",
    "i had a small nosebleed that stopped quickly",
    "my child has a mild temperature but is playing happily",
    "my toddler bumped his head but is fine and playing",
    "how do i lower my cholesterol",
    "is coffee bad for you",
    "what vitamins should i take",
    "how can i sleep better",
    "i feel tired all the time",
    "my heart beats fast when i exercise, is that normal",
    "i get out of breath running up stairs",
    "how do i treat a blister on my heel",
    "how much protein do i need",
    "what is the best way to lose weight",
    "my period pain is bad every month",
    "my baby has a blocked nose",
    "is it normal to feel dizzy when standing up quickly",
    "how long should i rest a pulled muscle",
    "what is good for heartburn",
    "i have a cough that wont go away",
    "how do i take my blood pressure at home",
    "can i take ibuprofen with paracetamol",
    "my gums bleed when i brush",
    "i cut my finger chopping onions, how do i clean it",
    "what foods are high in iron",
    "my eyes are tired from screens",
    "my ankle is swollen after twisting it",
)

# Full word forms that a typo is corrected towards (besides every plain word of the rules).
TYPO_TARGETS: tuple[str, ...] = (
    "seizure", "seizures", "collapsed", "collapse", "unconscious", "unresponsive", "breathe", "breathing",
    "breath", "bleeding", "vomiting", "vomited", "insulin", "diabetic", "diabetes", "swelling", "swollen",
    "pregnant", "pregnancy", "headache", "confused", "confusion", "drowsy", "choking", "anaphylaxis",
    "allergic", "paracetamol", "overdose", "overdosed", "suicide", "suicidal", "slurred", "slurring",
    "drooping", "droopy", "wheezing", "poisoned", "poison", "batteries", "chemicals", "swallowed",
    "pressure", "crushing", "squeezing", "tightness", "convulsing", "fainted", "passed", "responding",
    "stiff", "fever", "temperature", "numb", "weak", "weakness", "chest", "stroke", "killing", "myself",
)
