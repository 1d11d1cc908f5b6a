"""Name patterns -> sector, in the four interface languages.

The rules are tried in order and the first match wins; a name no rule matches is
``Sector.UNKNOWN`` (never a guess). The order puts the most telling words first: an
international organisation's name (``World Bank``, ``UNDP``), a university, a name headed by
a ministry (``Ministry of Parliamentary Affairs`` is executive, not legislature), legislatures
and courts, then organisations of civil society and business, then generic public bodies.
Where a word says "public body" without the branch (``Agency``, ``Commission``, ``Contraloría``,
``Municipality``) the sector is the coarse ``GOVERNMENT``.
"""

from __future__ import annotations

import re

from ogpgraph.records.institutions import text as tx
from ogpgraph.records.institutions.types import Sector

S = Sector
_RULES: tuple[tuple[str, Sector], ...] = (
    # international organisations and foreign development agencies
    (r"world bank|banco mundial|banque mondiale|\bundp\b|\bpnud\b|\busaid\b|\bgiz\b|\boecd\b|"
     r"\bocde\b|\bosce\b|\bimf\b|\bfmi\b|european union|union europe|uniao europeia|\beu\b|"
     r"european commission|comision europea|commission europeenne|council of europe|"
     r"conseil de l'europe|consejo de europa|\bun[- ]women\b|\bunicef\b|\bunesco\b|"
     r"united nations|naciones unidas|nations unies|nacoes unidas|\bun-habitat\b|"
     r"inter-american development bank|\bidb\b|\bbid\b|african development bank|"
     r"asian development bank|agence francaise de developpement|"
     r"agencia francesa de desarrollo|\bafd\b|\bdfid\b|\buk aid\b|\bfcdo\w*|\beurosocial\b|"
     r"international labou?r (?:office|organi[sz]ation)|\bilo\b|\boit\b|parlamericas|"
     r"^open government partnership(?: \(ogp\))?$|"
     r"deutsche gesellschaft fur internationale|german (?:agency|corporation) for international",
     S.MULTILATERAL),
    # organisations of civil society by their head word
    (r"^(?:the |la |el |le )?(?:\w+ )?(?:foundation|fundacion|fundacao|fondation|association|"
     r"asociacion|associacao|ngo|ong|public association|charity|civic union)\b|\bngo$|"
     r"\bstiftung\b", S.CIVIL_SOCIETY),
    # academia
    (r"\buniversit\w*|\buniversidad\w*|\buniversidade\w*|\bfacult\w+ (?:of|de|d')|"
     r"\bfaculdade\b|academy of sciences|academia de ciencias|academie des sciences|"
     r"higher education institutions|\bschool of (?:law|economics|social)",
     S.ACADEMIA),
    # executive: names headed by a ministry, minister, presidency or the government itself
    (r"^(?:the |el |la |le |l')?(?:\w+ )?(?:ministr\w*|minister\w*|ministere\w*|ministerio\w*|"
     r"presiden(?:cy|cia)\b|prime minist\w+|primer ministro|premier ministre|office of the "
     r"(?:president|prime minister|vice[- ]president|deputy (?:president|prime minister))|"
     r"cabinet\b|gabinete\b|(?:administration of the )?council of ministers|"
     r"cabinet of ministers|consejo de ministros|conseil des ministres|"
     r"government of (?:the republic|\w+$)|jefatura de gabinete|state chancellery|chancellery|"
     r"secretar\w+ de estado|secretariat general of the government|"
     r"government office|treasury|tesoro|tresor|executive office)",
     S.EXECUTIVE),
    # legislatures (their units included)
    (r"parliament(?!ary (?:network|monitoring|center|centre|assembly of))\b|"
     r"parliamentary (?:budget office|service|committee|select committee|working group|"
     r"expertise agency|institute|caucus)|\bparlamento\b|\bparlement\b|"
     r"house of (?:representatives|assembly|commons|lords)|\bsenate\b|\bsenado\b|\bsenat\b|"
     r"\bcongress\b|\bcongreso\b|\bcongresso\b|national assembly|asamblea (?:nacional|"
     r"legislativa)|assemblee nationale|assembleia (?:nacional|legislativa|da republica)|"
     r"legislative assembly|\bassembly of\b|^(?:the )?assembly$|chamber of (?:deputies|senators)|"
     r"camara (?:de (?:diputad|senador|representantes|deputad)|municipal|dos deputados)|"
     r"municipal chamber|county assembl|concejo (?:municipal|deliberante)|junta departamental|"
     r"jogorku kenesh|riigikogu|saeima|seimas|knesset|oireachtas|sangguniang|\bdpr\b|"
     r"legislature|legislative branch|organo legislativo|poder legislativo|pouvoir legislatif|"
     r"\bclerk of\b",
     S.LEGISLATURE),
    # judiciary
    (r"supreme court|\bcourts?\b|corte (?:suprema|superior|constitucional)|\bjuzgados?\b|"
     r"poder judicial|pouvoir judiciaire|judiciary|judicial (?:council|academy|branch)|"
     r"consejo de la judicatura|cour (?:supreme|de cassation|constitutionnelle)|"
     r"tribunal(?:es)? (?:supremo|superior de justicia|constitucional)|superior council of "
     r"magistracy|consejo del poder judicial|supremo tribunal",
     S.JUDICIARY),
    # business
    (r"chamber of (?:commerce|mines|industry)|camara de comercio|chambre de commerce|"
     r"business (?:club|council|association)|employers|private sector alliance|"
     r"manufacturers association|\b(?:s\.a\.?|ltd\.?|llc|inc\.?|gmbh|d\.o\.o\.?|d\.d\.|cjsc|jsc|"
     r"plc|s\.r\.l\.?|sarl|ltda\.?|s\.a\.s\.?)$|\b(?:ltd|llc|gmbh|cjsc)\b",
     S.PRIVATE_SECTOR),
    # civil society
    (r"\bfoundation\b|\bfundacion\b|\bfundacao\b|\bfondation\b|\bstiftung\b|\bassociation\b|"
     r"\basociacion\b|\bassociacao\b|\bngo\b|\bong\b|\bnpo\b|public association|civic union|"
     r"\bcoalition\b|\bcoalicion\b|\bnetwork\b|\bred (?:de|latinoamericana|ciudadana)\b|"
     r"\breseau\b|\balliance\b|\balianza\b|transparency international|\boxfam\b|action ?aid|"
     r"christian aid|save the children|amnesty international|article 19|open knowledge|"
     r"\btrust$|union of journalists|journalists' (?:association|club|union)|trade unions?|"
     r"\bsindicato\b|\bsyndicat\b|civil society (?:organi|platform|institute|forum|coalition)|"
     r"national democratic institute|\bndi\b|\bplatform\b|\bmovement\b|\bmovimiento\b|"
     r"\bsociety for\b|\bcampaign for\b|\bthink tank",
     S.CIVIL_SOCIETY),
    # other public bodies, branch not told
    (r"\bdepartment\b|\bdepartamento\b|\bdepartement\b|\boffice\b|\boficina\b|\bagency\b|"
     r"\bagencia\b|\bagence\b|\bauthority\b|\bautoridad\b|\bautorite\b|\bcommission\b|"
     r"\bcomision\b|\bcomissao\b|\bsecretariat\b|\bsecretaria\b|\bdirectorate\b|"
     r"\bdireccion\b|\bdirection\b|\bdirecao\b|\bbureau\b|\binspectorate\b|\bombudsm\w*|"
     r"\bdefensoria\b|\bcontraloria\b|\bprocuraduria\b|\bfiscalia\b|\bprosecutor|"
     r"auditor[- ]general|\baudit (?:service|office|court)|tribunal (?:superior )?de cuentas|"
     r"\bgovernment\b|\bgobierno\b|\bgouvernement\b|\bgoverno\b|municipalit\w+|"
     r"\bmunicipio\b|\balcaldia\b|\bprefeitura\b|\bmairie\b|\bcity of\b|\bcity council|"
     r"county government|provincial government|\bpolice\b|\bpolicia\b|central bank|"
     r"national bank|reserve bank|bank of \w+$|banco central|superintendencia|"
     r"national institute of|instituto nacional de|\bstate \w+ (?:service|agency|committee|"
     r"inspectorate|fund|enterprise|institution|commission)|\bstate (?:service|agency|"
     r"committee|enterprise|institution|commission)\b|\bcouncil of (?:ministers|state|"
     r"governors)\b|\bregistry\b|\bregistrar\b|\binspection\b|\bservice\b|\bservicio\b",
     S.GOVERNMENT),
)
_COMPILED = tuple((re.compile(pattern), sector) for pattern, sector in _RULES)


def classify_name(name: str) -> Sector:
    """The sector a name's own words say, or ``Sector.UNKNOWN``."""
    folded = " ".join(tx.fold(name).split())
    for pattern, sector in _COMPILED:
        if pattern.search(folded):
            return sector
    return S.UNKNOWN


def is_strong(sector: Sector) -> bool:
    """Patterns that contradict OGP's "government; civil society" convention when they
    disagree with it (a coarse or unknown pattern does not)."""
    return sector not in (S.UNKNOWN, S.NON_GOVERNMENT)
