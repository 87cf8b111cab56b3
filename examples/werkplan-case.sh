#!/usr/bin/env bash
# An example case, invented from start to end: Familie Visser. Veilig Thuis refers the family
# after a police report of violence between the parents; ten months of intensive case direction
# follow, from phase 3 down to phase 2 of the regiekaart, with a werkplan (mailed in May),
# evaluations every two weeks and later monthly, aftercare, and a closing report in November.
#
#   ICRCTL_DB=/a/new/folder/example.db OUT=/a/folder bash examples/werkplan-case.sh
#
# Writes werkplan.md, werkplan.html, werkplan-school.md (the version for the school),
# eindrapport.md and eindrapport.html into $OUT. The day is pinned with ICRCTL_TODAY, so the
# documents come out the same every time: tests/render/test_documents_render.py runs these very
# icrctl lines in-process and compares the documents with tests/golden/.
# For that test, keep to: one icrctl command per line (a trailing backslash continues it), no
# shell variables in them except "$OUT", and 'export ICRCTL_TODAY=YYYY-MM-DD' to move the day.
set -euo pipefail
OUT="${OUT:-.}"

# --- 6 May 2026: inventory, analysis and plan ------------------------------------------------
export ICRCTL_TODAY=2026-05-06

icrctl case create VB-2026-031 --title "Familie Visser" --opened 2026-02-02 --phase 3 \
    --framework voluntary --regisseur "M. de Boer" --referrer "Veilig Thuis" \
    --violence physical,psychological --domains parenting,finances,mental_health,housing
icrctl member add VB-2026-031 "Lotte Visser" --key lotte --role victim --born 1991-09-03 \
    --phone "06-12345678" --email "lotte.visser@example.nl"
icrctl member add VB-2026-031 "Ruben Visser" --key ruben --role perpetrator --born 1988-01-21 \
    --outside-household --phone "06-87654321"
icrctl member add VB-2026-031 "Daan Visser" --key daan --role child --born 2016-04-11
icrctl member add VB-2026-031 "Mila Visser" --key mila --role child --born 2023-08-30
icrctl member add VB-2026-031 "Ineke Smit" --key oma --role grandparent --born 1962-12-05 \
    --outside-household --phone "0111-456789"
icrctl member relate VB-2026-031 lotte ex_partner ruben
icrctl member relate VB-2026-031 lotte parent_of daan
icrctl member relate VB-2026-031 lotte parent_of mila
icrctl member relate VB-2026-031 ruben parent_of daan
icrctl member relate VB-2026-031 ruben parent_of mila
icrctl member relate VB-2026-031 oma parent_of lotte

icrctl partner add "J. Bakker" --organisation "Veilig Thuis Zeeland" --kind veilig_thuis \
    --key vt-bakker --email "j.bakker@example.org" --phone "0118-123456" --reachable mon,tue,thu
icrctl partner add "S. Yilmaz" --organisation "Politie Zeeland-West-Brabant" --kind police \
    --key wijkagent-yilmaz --phone "0900-8844" --reachable wed,fri
icrctl partner add "E. de Wit" --organisation "JGZ Zeeland" --kind youth_health \
    --key jgz-dewit --email "e.dewit@example.org" --phone "0113-987654" --reachable mon,wed
icrctl partner add "K. Peeters" --organisation "Basisschool De Schelp" --kind school \
    --key school-peeters --email "k.peeters@example.org" --reachable tue,thu
icrctl partner add "R. Hendriks" --organisation "Emergis" --kind mental_health \
    --key ggz-hendriks --email "r.hendriks@example.org" --phone "0113-555123"
icrctl partner link VB-2026-031 vt-bakker --role "melding en veiligheidsplan" --consent \
    --coordination "1x per 2 weken telefonisch overleg"
icrctl partner link VB-2026-031 wijkagent-yilmaz --role wijkagent --consent \
    --coordination "Bij incidenten direct bellen"
icrctl partner link VB-2026-031 jgz-dewit --role "consultatiebureau Mila" --consent \
    --coordination "Verslag na elk consult per mail"
icrctl partner link VB-2026-031 school-peeters --role "leerkracht Daan" --consent \
    --coordination "1x per maand contact met de intern begeleider"
icrctl partner link VB-2026-031 ggz-hendriks --role "behandelaar Ruben" --no-consent

icrctl log VB-2026-031 "Kennismaking thuis; Lotte vertelt over het incident van januari." \
    --kind huisbezoek --with lotte --date 2026-02-05
icrctl log VB-2026-031 "Overdracht van de melding besproken." --kind telefoon --with vt-bakker \
    --date 2026-02-06
icrctl log VB-2026-031 "Gesprek met Ruben bij zijn moeder; hij wil meewerken." --kind visit \
    --with ruben --date 2026-02-12
icrctl case stage VB-2026-031 analysis --date 2026-02-16
icrctl goal add VB-2026-031 "Lotte en de kinderen zijn thuis veilig" --who "Lotte, J. Bakker" \
    --what "Veiligheidsplan opstellen en wekelijks nalopen" --due 2026-04-30
icrctl goal add VB-2026-031 "Ruben gaat zonder geweld om met spanning" --who "Ruben, Emergis" \
    --what "Agressieregulatietraining volgen" --due 2026-09-30
icrctl goal add VB-2026-031 "De omgang van de kinderen met Ruben is geregeld" \
    --who "Lotte, Ruben, M. de Boer" --what "Omgangsregeling opstellen, eerst begeleid"
icrctl goal add VB-2026-031 "De schulden zijn in beeld" --who "Lotte" \
    --what "Aanmelden bij de schuldhulpverlening" --due 2026-06-01
icrctl goal edit VB-2026-031 4 --who "Lotte, met oma Ineke"
icrctl eval schedule VB-2026-031 --every 2w --weekday tue --time 10:00 --start 2026-03-03 \
    --with lotte,ruben,vt-bakker
icrctl case stage VB-2026-031 execution --date 2026-03-03
icrctl case edit VB-2026-031 --plan-signed 2026-03-03
icrctl eval record VB-2026-031 --date 2026-03-03 --attended lotte,ruben,vt-bakker --risk 4 \
    --self-reliance 2 --note "Veiligheidsplan besproken."
icrctl log VB-2026-031 "Ruben stuurt Lotte 's nachts dreigende appjes over de kinderen." \
    --kind bericht --with lotte --date 2026-03-09 --signal
icrctl log VB-2026-031 "Intern begeleider: Daan is stiller in de klas." --kind email \
    --with school-peeters --date 2026-03-12
icrctl eval record VB-2026-031 --date 2026-03-17 --attended lotte,vt-bakker --refused ruben \
    --risk 4 --self-reliance 2
icrctl eval cancel VB-2026-031 2026-03-31 --reason "Lotte ziek"
icrctl phase set VB-2026-031 2 --reason "Geen nieuwe incidenten; Ruben volgt een training" \
    --date 2026-04-14
icrctl eval record VB-2026-031 --date 2026-04-14 --attended lotte,ruben,vt-bakker --risk 3 \
    --self-reliance 3
icrctl eval record VB-2026-031 --date 2026-04-28 --attended lotte,ruben --absent vt-bakker \
    --risk 3 --self-reliance 3
icrctl goal done VB-2026-031 1 --date 2026-04-30
icrctl log VB-2026-031 "Werkplan doorgenomen met Lotte en Ruben." --kind overleg \
    --with lotte,ruben --date 2026-05-06

# The werkplan as mailed to everyone involved, and the version for the school.
icrctl werkplan VB-2026-031 --out "$OUT/werkplan.md"
icrctl werkplan VB-2026-031 --out "$OUT/werkplan.html"
icrctl werkplan VB-2026-031 --for school-peeters --out "$OUT/werkplan-school.md"

# --- 25 November 2026: execution, aftercare and closing -------------------------------------
export ICRCTL_TODAY=2026-11-25

icrctl eval record VB-2026-031 --date 2026-05-12 --attended lotte,ruben,vt-bakker --risk 2 \
    --self-reliance 3
icrctl goal done VB-2026-031 4 --dropped --date 2026-05-12
icrctl eval record VB-2026-031 --date 2026-05-26 --attended lotte,ruben,vt-bakker --risk 2 \
    --self-reliance 4
icrctl eval stop VB-2026-031 --from 2026-05-27
icrctl eval schedule VB-2026-031 --every 1m --weekday tue --time 14:00 --start 2026-07-07 \
    --until 2026-10-06 --with lotte,ruben
icrctl eval record VB-2026-031 --date 2026-07-07 --attended lotte,ruben --risk 2 \
    --self-reliance 4
icrctl eval record VB-2026-031 --date 2026-08-04 --attended lotte --refused ruben --risk 2 \
    --self-reliance 4
icrctl eval record VB-2026-031 --date 2026-09-01 --attended lotte,ruben --risk 1 \
    --self-reliance 4
icrctl goal done VB-2026-031 2 --date 2026-09-29
icrctl eval record VB-2026-031 --date 2026-10-06 --attended lotte,ruben --risk 1 \
    --self-reliance 5 --note "Omgangsregeling loopt; over naar nazorg."
icrctl goal done VB-2026-031 3 --date 2026-10-06
icrctl case stage VB-2026-031 aftercare --date 2026-10-06
icrctl log VB-2026-031 "Nazorg: het gaat goed, geen nieuwe zorgen." --kind phone --with lotte \
    --date 2026-11-10
# That call held the first aftercare follow-up (due 2026-11-06); Lotte directs again, so the
# later two are not needed.
icrctl case aftercare VB-2026-031
icrctl case aftercare VB-2026-031 --drop 2027-01-06
icrctl case aftercare VB-2026-031 --drop 2027-04-06
# Before closing, every partner who shares with consent hears that the case closes (the GGZ
# therapist, without consent, is not told).
icrctl log VB-2026-031 "Afsluiting van de casus gemeld; nazorg loopt via Lotte zelf." --kind email \
    --with vt-bakker,wijkagent-yilmaz,jgz-dewit,school-peeters --date 2026-11-20
icrctl case close VB-2026-031 --date 2026-11-24 \
    --summary "De doelen zijn bereikt: er is een veiligheidsplan, Ruben heeft de training afgerond en de omgang is geregeld. Lotte voert zelf weer de regie." \
    --safety "Sinds maart geen incidenten of meldingen meer. Lotte weet wie ze bij dreiging belt; bij nieuwe zorgen meldt Veilig Thuis de casus direct terug."
icrctl report VB-2026-031 --out "$OUT/eindrapport.md"
icrctl report VB-2026-031 --out "$OUT/eindrapport.html"
