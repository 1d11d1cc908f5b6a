"""The words of OGP commitment pages in the site's interface languages, as look-up tables.

Pages are read by one generic scanner (``page_text``); everything language-specific lives
here: label variant -> field, heading variant -> section, and the few translated values
our vocabularies may not carry (``marginaux``, ``Haut``, ``sí``). Matching is done on
*folded* text (accents and typographic quotes removed, case ignored), so each variant is
written once in its natural spelling.
"""

from __future__ import annotations

import re
import unicodedata

# Single characters folded to one character, so that positions in folded text are
# positions in the original (needed to cut values out of the original line).
_FOLD_CHARS = {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "œ": "o", "Œ": "O", "–": "-", "—": "-",
               "\u00a0": " "}


class _FoldTable(dict):
    """A ``str.translate`` table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        ch = _FOLD_CHARS.get(chr(code), chr(code))
        folded = unicodedata.normalize("NFKD", ch)[0] if ch.isalpha() else ch
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Same length as ``text``: accents stripped, quotes and dashes unified (case kept)."""
    return text.translate(_FOLD_TABLE)


# --- "Label: value" fields -----------------------------------------------------------------
# field -> {language: [variants]}. A label is the variant followed by a colon (a space before
# the colon is allowed: French typography).
LABELS: dict[str, dict[str, list[str]]] = {
    "action_plan": {
        "en": ["Action Plan"], "es": ["Plan de Acción"], "fr": ["Plan d'action"],
        "pt": ["Plano de Ação"],
    },
    "cycle": {
        "en": ["Action Plan Cycle"], "es": ["Ciclo del plan de acción"],
        "fr": ["Cycle du plan d'action"], "pt": ["Ciclo do plano de ação"],
    },
    "status": {"en": ["Status"], "es": ["Estado"], "fr": ["Statut"]},
    "lead": {
        "en": ["Lead Institution", "Lead Institution(s)", "Lead Institutions"],
        "es": ["Institución principal", "Institución líder"],
        "fr": ["Institution chef de file", "Institution principale"],
        "pt": ["Instituição líder"],
    },
    "support": {
        "en": ["Support Institution(s)", "Support Institutions", "Supporting Institution(s)",
               "Supporting Institutions"],
        "es": ["Instituciones de Apoyo", "Institución(es) de apoyo", "Institución (es) de apoyo",
               "Instituciones de soporte"],
        "fr": ["Institution(s) de soutien", "Institutions de soutien",
               "Institution(s) d'appui"],
        "pt": ["Instituições de apoio", "Instituição(ões) de apoio"],
    },
    "institutions_involved": {
        "en": ["Institutions involved"], "es": ["Instituciones involucradas"],
        "fr": ["Institutions impliquées"],
    },
    "policy_areas": {
        "en": ["Policy Areas"], "es": ["Áreas de política"], "fr": ["Domaines politiques"],
    },
    "primary_policy_area": {
        "en": ["Primary Policy Area"], "es": ["Área de política principal"],
        "fr": ["Domaine politique principal"],
    },
    "primary_sector": {
        "en": ["Primary Sector"], "es": ["Sector principal"], "fr": ["Secteur principal"],
    },
    "ogp_value": {
        "en": ["OGP Value", "OGP Values"], "es": ["Valor de OGP", "Valores de OGP"],
        "fr": ["Valeur OGP", "Valeurs OGP"],
    },
    "irm_report": {
        "en": ["IRM Report", "IRM Report(s)", "IRM Reports"],
        "es": ["Informe de IRM", "Informe del IRM", "Informe del MRI", "Informes del IRM"],
        "fr": ["Rapport IRM", "Rapport de l'IRM", "Rapports IRM"],
        "pt": ["Relatório do IRM", "Relatório IRM"],
    },
    "inception_report": {
        "en": ["Inception Report"], "es": ["Informe inicial"], "fr": ["Rapport initial"],
    },
    "starred": {
        "en": ["Starred"], "es": ["Estelares", "Estelar", "Destacado"],
        "fr": ["Étoilé", "Étoilés", "Étoilée"],
    },
    "early_results": {
        "en": ["Early Results"], "es": ["Resultados iniciales", "Resultados tempranos"],
        "fr": ["Premiers résultats"], "pt": ["Resultados iniciais"],
    },
    "did_it_open_government": {
        "en": ["Did It Open Government?", "Did It Open Government"],
        "es": ["¿Se abrió el gobierno?"], "fr": ["A-t-il ouvert le gouvernement ?"],
    },
    "verifiable": {
        "en": ["Verifiable"], "es": ["Verificable"], "fr": ["Vérifiable"], "pt": ["Verificável"],
    },
    "relevant": {
        "en": ["Relevant to OGP Values", "Relevant to OGP values"],
        "es": ["Relevante para los valores de OGP", "Relevante a los valores de OGP"],
        "fr": ["Pertinent pour les valeurs OGP", "Pertinent pour les valeurs de l'OGP"],
        "pt": ["Relevante para os valores da OGP"],
    },
    "potential_impact": {
        "en": ["Potential Impact"], "es": ["Impacto potencial"], "fr": ["Impact potentiel"],
        "pt": ["Impacto potencial"],
    },
    "ambition": {
        "en": ["Ambition (see definition)"], "es": ["Ambición (ver definición)"],
        "fr": ["Ambition (voir définition)"], "pt": ["Ambição (ver definição)"],
    },
    "specificity": {"en": ["Specificity"], "es": ["Especificidad"], "fr": ["Spécificité"]},
    "potential_for_results": {
        "en": ["Potential for Results"], "es": ["Potencial de resultados"],
        "fr": ["Potentiel de résultats"],
    },
    "completion": {
        "en": ["Completion"], "es": ["Terminación", "Cumplimiento"], "fr": ["Achèvement"],
        "pt": ["Conclusão"],
    },
    "start_date": {
        "en": ["Commitment Start", "Start Date", "Start date"],
        "es": ["Fecha de inicio", "Inicio del compromiso"],
        "fr": ["Date de début", "Début de l'engagement"], "pt": ["Data de início"],
    },
    "end_date": {
        "en": ["Commitment End", "End Date", "End date"],
        "es": ["Fecha final", "Fecha de término", "Fecha de finalización", "Fin del compromiso"],
        "fr": ["Date de fin", "Date de clôture", "Fin de l'engagement"],
        "pt": ["Data de término"],
    },
    # IRM status summary (below the description)
    "commitment_text": {
        "en": ["Commitment Text"], "es": ["Texto del compromiso"],
        "fr": ["Texte de l'engagement"], "pt": ["Texto do compromisso"],
    },
    "responsible": {
        "en": ["Responsible Institution", "Responsible institution(s)"],
        "es": ["Institución responsable"], "fr": ["Institution responsable"],
    },
}

# The At-a-Glance fields (above the description) and the IRM summary fields (below it).
GLANCE_FIELDS = frozenset(LABELS) - {"commitment_text", "responsible"}
SUMMARY_FIELDS = frozenset({"commitment_text", "responsible", "start_date", "end_date"})

# --- Headings: lines that are only the heading ---------------------------------------------
HEADINGS: dict[str, dict[str, list[str]]] = {
    "skip_navigation": {
        "en": ["Skip Navigation", "Skip to main content"], "es": ["Saltar navegación"],
        "fr": ["Ignorer la navigation"], "pt": ["Pular navegação"],
    },
    "overview": {"en": ["Overview"], "es": ["Visión General"], "fr": ["Vue d'ensemble"]},
    "at_a_glance": {"en": ["At-a-Glance"], "es": ["De un vistazo"], "fr": ["D'un coup d'œil"]},
    "institutions": {"en": ["Institutions"], "es": ["Instituciones"], "fr": ["Institutions"]},
    "policy_areas": {
        "en": ["Policy Areas"], "es": ["Áreas de política"], "fr": ["Domaines politiques"],
    },
    "irm_review": {"en": ["IRM Review"], "es": ["Revisión de IRM"], "fr": ["Revue IRM"]},
    "design": {"en": ["Design i", "Design"], "es": ["Diseño i", "Diseño"],
               "fr": ["Conception i", "Conception"]},
    "implementation": {
        "en": ["Implementation i", "Implementation"], "es": ["Implementación i"],
        "fr": ["Implémentation i", "Mise en œuvre i"],
    },
    "description": {"en": ["Description"], "es": ["Descripción"], "fr": ["Description"]},
    "footer": {"en": ["Open Government Partnership"]},
}

# Headings that open the IRM status summary, which ends the description: "IRM Midterm Status
# Summary", "IRM End of Term Status Summary", … (regexes on folded text, matched against the
# whole line; a heading is short, prose is not).
SUMMARY_HEADING_PATTERNS = (
    r"IRM\b.{0,50}\bSummary", r"(?:Resumen|Resume|Resumo)\b.{0,50}\b(?:IRM|MRI)\b.{0,30}",
)
SUMMARY_HEADING_MAX = 80

# Sections of the IRM summary after the milestones: milestone bullets stop before them.
SUMMARY_SECTION_HEADINGS = (
    "Context and Objectives", "Context and objectives", "Contexto y objetivos",
    "Contexte et objectifs", "Completion", "Cumplimiento", "Achèvement", "Next steps",
    "Next Steps", "Siguientes pasos", "Prochaines étapes", "Early results",
    "Did it open government?", "Resultados preliminares", "Carried forward?",
)

# The member commitment list: "Peru's Commitments", "Compromisos de Perú", ...
# (regexes on folded text; group "member" is the member's name)
COMMITMENT_LIST_PATTERNS = (
    r"(?P<member>.+?)'s Commitments",
    r"Compromisos (?:de la |del |de )(?P<member>.+)",
    r"Engagements (?:de la |de l'|du |des |d'|de )(?P<member>.+)",
    r"Compromissos (?:da |do |de )(?P<member>.+)",
)

STARRED_PREFIXES = ("Starred commitment", "Compromiso estelar", "Engagement étoilé",
                    "Compromisso estrela")

# --- Values ---------------------------------------------------------------------------------
# Normalised (vocabulary.normalise) yes / no answers in the interface languages.
YES = frozenset({"yes", "si", "oui", "sim", "yes starred", "si estelar", "oui etoile"})
NO = frozenset({"no", "non", "nao", "not starred"})
NOT_RELEVANT = frozenset({"not relevant", "no relevante", "non pertinent", "nao relevante"})

# Values meaning "nothing here" that vocabulary.NOT_ASSESSED does not list.
NO_VALUE = frozenset({"not available", "no disponible", "non disponible", "not attached",
                      "no adjunto", "non joint", "non rattache", "not specified", "unspecified",
                      "no especificada", "no especificado", "non precise", "non precisee",
                      "tbd", "unclear", "ongoing", "en curso", "en cours"})

# Translated IRM values (normalised) -> the English label our vocabularies know.
VALUE_TRANSLATIONS: dict[str, str] = {
    # did it open government / early results
    "no cambio": "Did Not Change", "no ha cambiado": "Did Not Change",
    "n a pas change": "Did Not Change", "pas de changement": "Did Not Change",
    "marginaux": "Marginal", "marginale": "Marginal", "marginales": "Marginal",
    "majeur": "Major", "majeurs": "Major", "mayor": "Major", "importante": "Major",
    "exceptionnel": "Outstanding", "exceptionnels": "Outstanding",
    "sobresaliente": "Outstanding", "excepcional": "Outstanding",
    "empeora": "Worsens", "empire": "Worsens", "aggrave": "Worsens",
    "significatifs": "Significant", "significatif": "Significant",
    "significativos": "Significant", "significativo": "Significant",
    "moderes": "Moderate", "moderados": "Moderate",
    "aucun resultat notable": "No notable results",
    "sin resultados notables": "No notable results",
    # ambition, specificity, potential impact
    "haut": "High", "haute": "High", "eleve": "High", "elevee": "High", "alta": "High",
    "alto": "High", "moyen": "Medium", "moyenne": "Medium", "media": "Medium",
    "medio": "Medium", "modere": "Moderate", "moderee": "Moderate", "moderado": "Moderate",
    "moderada": "Moderate", "bas": "Low", "basse": "Low", "faible": "Low", "baja": "Low",
    "bajo": "Low", "mineur": "Minor", "menor": "Minor", "transformateur": "Transformative",
    "transformatrice": "Transformative", "transformador": "Transformative",
    "aucun": "None", "aucune": "None", "ninguno": "None", "ninguna": "None",
    # completion
    "complet": "Complete", "complete": "Complete", "completo": "Complete",
    "completado": "Complete", "substantiel": "Substantial", "substantielle": "Substantial",
    "sustancial": "Substantial", "limite": "Limited", "limitee": "Limited",
    "limitado": "Limited", "limitada": "Limited", "non commence": "Not Started",
    "pas commence": "Not Started", "no iniciado": "Not Started", "no iniciada": "Not Started",
    "retire": "Withdrawn", "retiree": "Withdrawn", "retirado": "Withdrawn",
    "pas clair": "Unclear", "poco claro": "Unclear", "no claro": "Unclear",
    # status
    "activo": "Active", "activa": "Active", "actif": "Active", "active": "Active",
    "ativo": "Active", "inactivo": "Inactive", "inactiva": "Inactive", "inactif": "Inactive",
    "inactive": "Inactive", "inativo": "Inactive",
}

# IRM report kinds named in report titles, for titles our vocabulary does not know
# (patterns on normalised text, checked in order).
REPORT_KIND_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\binforme de resultados\b|\brapport (?:sur les )?resultats\b|\bresults? report\b",
     "results"),
    (r"\bfin de (?:termino|periodo|mandat)\b|\bend of term\b|\binforme final\b"
     r"|\brapport final\b", "end-of-term"),
    (r"\brevision del plan de accion\b|\bexamen du plan d action\b|\baction plan review\b",
     "action-plan-review"),
    (r"\bmedio termino\b|\bde avance\b|\bmi parcours\b|\bd etape\b|\bmid term\b"
     r"|\bprogress report\b", "mid-term"),
    (r"\binforme de diseno\b|\brapport de conception\b|\bdesign report\b", "design"),
    (r"\binception\b|\binforme inicial\b|\brapport initial\b", "inception"),
)

# Precedence when several reports are listed: the page's values come from the latest.
REPORT_PRECEDENCE = ("results", "end-of-term", "action-plan-review", "mid-term", "design",
                     "inception")

# Action plan names: "Plan de Acción de Honduras 2018-2020", "Plan d'action de l'Ukraine …"
TRANSLATED_PLAN_NAME = re.compile(
    r"^(?:Plan de Accion|Plan d'action|Plano de Acao)(?:\s+nacional)?\s+"
    r"(?:de la |de l'|del |des |du |da |do |de |d')(?P<member>.+)$", re.IGNORECASE)
ENGLISH_PLAN_NAME = re.compile(
    r"^(?P<member>.+?)(?:\s*[,:\-]\s*|\s+)(?:(?:first|second|third|fourth|fifth|sixth|seventh"
    r"|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\s+)?(?:national\s+)?action\s+plan\b",
    re.IGNORECASE)


def all_variants(table: dict[str, dict[str, list[str]]]) -> list[tuple[str, str, str]]:
    """(field, language, variant) for every variant, longest first (so longer labels win)."""
    rows = [(f, lang, v) for f, langs in table.items() for lang, vs in langs.items() for v in vs]
    return sorted(rows, key=lambda row: -len(row[2]))
