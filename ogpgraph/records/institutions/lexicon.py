"""The words the institution reader knows, per language (en, es, fr, pt), as plain tables.

Everything language-specific lives here; the other modules match these tables on *folded*
text (``text.fold``: accents removed, lower case). Add a word here, not a special case in
the code.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Head nouns of institution names. In Spanish, French and Portuguese a name starts with its
# head ("Ministerio de …", "Fundación …"); in English the head may start ("Ministry of …") or
# end ("Ghana Audit Service") the name.
HEADS_EN = _words("""
ministry ministries department office agency authority commission council committee
secretariat directorate bureau parliament senate assembly court courts tribunal chamber house
institute foundation fund association university centre center unit service inspectorate
ombudsman treasury registry presidency cabinet municipality coalition network alliance union
federation confederation society board division programme program initiative forum platform
group team enterprise academy school college library archives police bank administration
chancellery prosecutor campaign trust corporation company observatory project partnership
legislature judiciary congress caucus taskforce secretary commissioner registrar government
""")
HEADS_ES = _words("""
ministerio secretaria direccion departamento oficina agencia autoridad comision consejo comite
instituto fundacion asociacion universidad facultad centro unidad superintendencia contraloria
procuraduria fiscalia defensoria tribunal tribunales corte juzgado juzgados camara senado
congreso asamblea parlamento presidencia municipalidad alcaldia intendencia junta red alianza
coalicion mesa programa coordinacion jefatura biblioteca observatorio observatorios corporacion
empresa banco federacion confederacion colegio sindicato organizacion movimiento foro
iniciativa consultoria poder gobierno
""")
HEADS_FR = _words("""
ministere secretariat direction departement bureau office agence autorite commission conseil
comite institut fondation association universite centre unite service cour tribunal chambre
senat assemblee parlement presidence gouvernement mairie reseau alliance coalition groupe
programme tresor entreprise institution observatoire federation confederation syndicat
organisation inspection mediateur ong
""")
HEADS_PT = _words("""
ministerio secretaria direcao departamento gabinete agencia autoridade comissao conselho comite
instituto fundacao associacao universidade faculdade centro unidade servico tribunal camara
senado congresso assembleia presidencia governo prefeitura rede alianca coalizao grupo programa
casa nucleo controladoria procuradoria defensoria ouvidoria
""")
HEADS = HEADS_EN | HEADS_ES | HEADS_FR | HEADS_PT

# Heads that (almost) always start a new institution, whatever precedes them except a
# linking word: used to split lists glued with no separator.
STRONG_HEADS = _words("""
ministry ministerio ministere ministerio ministerie secretaria direccion direcao
fundacion fundacao asociacion associacao universidad universidade universite defensoria
contraloria procuraduria fiscalia superintendencia comision comissao instituto institut
observatorio observatorios observatoire
""")

# Heads that end English names ("Ghana Audit Service", "Economic Management Team").
END_HEADS = HEADS_EN - _words("ministry ministries secretary commissioner registrar society")

# Words that may stand before a head and belong to the same name ("National Assembly",
# "State Treasury", "Federal Ministry").
MODIFIERS = _words("""
national state federal central supreme royal general high provincial regional municipal
county district city local presidential parliamentary independent public honorable
honourable
nacional estatal federal central suprema supremo general alta alto provincial regional
municipal departamental
nationale national etat haute haut regionale regional
""")

# Words that start the name of a unit of a larger body ("Ministry of Finance: Fiscal Policy
# Dept", "Directorate of Budget (Ministry of Economy and Finance)").
UNIT_WORDS = _words("""department dept departamento departement division unit unidad unite
office oficina bureau directorate direccion direction section seccion branch team committee
comision comite area coordinacion secretariat secretaria fiscal public treasury""")

# Words that link the parts of one name: a head after them does not start a new name.
LINKING = _words("""
of for on the to in at and with under by from
de del la las los el y e para por en con a al un una uno unos unas
des du le les et pour l d sur aux au une
da do das dos o os as em no na para e um uma
its their su sus seu sua seus suas
& / -
""")

CONJUNCTIONS = _words("and y e et &")

# Leading articles dropped when names are compared ("The Treasury" = "Treasury").
ARTICLES = _words("the el la los las le les l o a os as")

# Prepositions that introduce the institution in a "De la Cámara de Diputados:" heading.
OF_PREFIXES = ("de la ", "del ", "de los ", "de las ", "de l'", "de ", "du ", "des ", "of the ",
               "of ", "from the ", "da ", "do ", "dos ", "das ")

# "X a través de Y": X acts through its unit Y.
VIA = ("a traves de la ", "a traves del ", "a traves de ", "por medio de la ", "por medio del ",
       "por medio de ", "through its ", "through the ", "through ", "par l'intermediaire de ",
       "par l'intermediaire du ", "par l'intermediaire des ", "por meio da ", "por meio do ",
       "por meio de ", "atraves da ", "atraves do ")

# Clauses that join two institutions inside one piece ("X in cooperation with Y").
JOINERS = ("in cooperation with ", "in collaboration with ", "with support from ",
           "with the support of ", "together with ", "upon the proposal by ",
           "en colaboracion con ", "en coordinacion con ", "con el apoyo de ",
           "en cooperation avec ", "avec l'appui de ", "avec le soutien de ", "em cooperacao com ",
           "including ", "incluyendo ")

# Whole-field or whole-piece markers meaning "no institution".
NONE_MARKERS = frozenset({
    "na", "n a", "n/a", "nd", "nr", "none", "no", "unclear", "not applicable", "tbd", "tbc",
    "ninguna", "ninguno", "aucune", "aucun", "nenhuma", "nenhum", "sin informacion",
    "no aplica", "non applicable", "nao se aplica", "see action plan", "ver plan de accion",
    "pending", "unknown", "desconocido", "inconnu",
})

# Pieces that close a list without naming anyone.
FILLER = ("etc", "among others", "and others", "amongst others", "entre otros", "entre otras",
          "y otros", "y otras", "entre autres", "et autres", "e outros", "entre outros",
          "and so on", "others", "otros", "otras", "autres", "outros")

# Qualifiers kept as a note ("(by agreement)", "(TBC)"), in or out of parentheses.
QUALIFIERS = ("by agreement", "by consent", "upon consent", "upon their consent", "on consent",
              "upon agreement", "tbc", "to be confirmed", "if applicable", "as necessary",
              "as appropriate", "where appropriate", "par convention", "par accord",
              "sous reserve", "por convenio", "por acuerdo", "a confirmar", "por confirmar",
              "sujeto a confirmacion", "por convénio", "mediante acordo", "indirectly",
              "contraparte", "implementer", "co-chair", "co chair", "lead", "coordinator")

# Words of collective, unnamed references ("Line Ministries", "other NGOs", "civil society
# organisations"): a piece made only of these names nobody in particular.
GENERIC_WORDS = _words("""
all other others any every various relevant concerned interested line several some many
central executive
unspecified non-specified specified respective competent related corresponding different
selected primarily secondarily possibly appropriate participating such
ministries agencies departments bodies institutions authorities units entities organisations
organizations organisation organization ngos ngo csos cso osc oscs ong ongs civil society
societies private public sector sectors media academia academics academic researchers experts
citizens citizen citizenry community communities people general municipalities universities
partners partner donors donor development international national local state government
governments governmental non-governmental nongovernmental non-government non-profit nonprofit
businesses business companies company enterprises employers unions trade professional
associations foundations networks coalitions groups group working stakeholders stakeholder
representatives members users consumers youth women schools colleges think tanks tank centers
centres organismos instituciones entidades organizaciones sociedad civil academia sector
privado publico ciudadania ciudadanos expertos medios universidades municipios
gobiernos locales otras otros todas todos diversas demas interesadas interesados
institutions organisations societe civile secteur prive publiques publics collectivites
autres toutes tous
and y et e of de del la las los the in its their with for on from to
bodies government-owned self-government self-governments administrations administration
officials parties political legislative executive judicial level levels
""")

# Honorifics and titles that mark a person, not an institution.
HONORIFICS = ("mr", "mrs", "ms", "dr", "hon", "lcdo", "lcda", "lic", "ing", "sr", "sra", "srta",
              "mme", "m", "prof", "dra", "eng", "h.e")
PERSON_TITLES = _words("""
secretary director chairman chairperson chair president vice-president governor
vice-governor vice commissioner adviser advisor consultant coordinator coordinador member
officer assistant chief head expert diputado diputada senador senadora minister ministra
ministro
""")

# Verbs and markers of a sentence rather than a name.
PROSE_MARKERS = _words("""
will would shall should can could may might must is are was were been being has have had
taken held involved consulted contacted implement implementing participate participated
according following aims consists consist enacted enact help refer referred
sera seran es son esta estan han fue participaran deben debe
siguen sigue realizan participan colaboran trabajan apoyan promueven implementan
est sont seront ont suivent participent soutiennent
sao serao seguem participam apoiam
""")
