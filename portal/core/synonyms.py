"""Abkürzungen und gleichbedeutende Begriffe der Suche (gelesen von portal/core/search.py).

Die Fachwelt schreibt oft in Kürzeln; wer "SpDi" sucht, soll auch den "Sozialpsychiatrischen
Dienst" finden. Eine Zeile je Eintrag, Groß- und Kleinschreibung und Umlaute sind gleichgültig:

  Kürzel -> Langform                 nur in diese Richtung: wer das Kürzel sucht, findet auch die
                                     Langform (nicht umgekehrt; kurze Kürzel wie "JA" stecken in
                                     zu vielen anderen Wörtern)
  Kürzel -> Langform | andere Form   mehrere Bedeutungen, durch "|" getrennt
  Begriff = Begriff = Begriff        gleichbedeutend, in alle Richtungen

Eine Langform darf aus mehreren Wörtern bestehen; dann müssen alle ihre Wörter vorkommen
("und", "der", "für" ... zählen nicht). Die Begriffe werden auch für "Meinten Sie …?" genutzt.
Nach einer Änderung genügt ein Neustart des Portals; tests/portal/core/test_search_help.py prüft,
dass die Liste lesbar bleibt.
"""

# One entry a line; lines starting with "#" are comments.
SYNONYMS = """
# Dienste und Einrichtungen
SpDi -> Sozialpsychiatrischer Dienst
KJP -> Kinder- und Jugendpsychiatrie
KJPP -> Kinder- und Jugendpsychiatrie
ASD -> Allgemeiner Sozialer Dienst
KSD -> Kommunaler Sozialer Dienst
KoKi -> Koordinierende Kinderschutzstelle
FH -> Frühe Hilfen
JA -> Jugendamt
GA -> Gesundheitsamt
ÖGD -> Öffentlicher Gesundheitsdienst
SPZ -> Sozialpädiatrisches Zentrum | Sozialpsychiatrisches Zentrum
PIA -> Psychiatrische Institutsambulanz
KiTa -> Kindertagesstätte | Kindertageseinrichtung
Kita -> Kindertagesstätte | Kindertageseinrichtung
EB -> Erziehungsberatung
EFB -> Erziehungsberatung | Familienberatung
HzE -> Hilfen zur Erziehung
SPFH -> Sozialpädagogische Familienhilfe
ISEF -> Insoweit erfahrene Fachkraft
IseF -> Insoweit erfahrene Fachkraft
BTHG -> Bundesteilhabegesetz
EGH -> Eingliederungshilfe
MVZ -> Medizinisches Versorgungszentrum
KV -> Kassenärztliche Vereinigung
JobC -> Jobcenter
BA -> Bundesagentur für Arbeit
DRV -> Deutsche Rentenversicherung
JVA -> Justizvollzugsanstalt

# Gesetze
SGB -> Sozialgesetzbuch
KKG -> Gesetz zur Kooperation und Information im Kinderschutz
BKiSchG -> Bundeskinderschutzgesetz
KJSG -> Kinder- und Jugendstärkungsgesetz
BtMG -> Betäubungsmittelgesetz
PsychKG -> Psychisch-Kranken-Gesetz | Psychisch-Kranken-Hilfe-Gesetz

# Gleichbedeutende Begriffe
Suchtberatung = Drogenberatung = Suchtberatungsstelle = Drogenberatungsstelle
Substitution = Substitutionsbehandlung = Opioidsubstitution
Kinder psychisch kranker Eltern = Kinder psychisch erkrankter Eltern
Kinder suchtkranker Eltern = Kinder aus suchtbelasteten Familien
"""
