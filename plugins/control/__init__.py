"""The control of the journal at its cadences (BTT 3.6, 4.6.1; KTIS 3.11, 5.2–5.4; REQUIREMENTS
R12): each checker (course supervisor, deputy director, methodological service, as the preset
sets them) checks the journals of their scope, gathering the gaps every plugin computes
(``control_findings``), adds remarks and signs the check off; a signed check is a record with
its PDF «Справка по итогам проверки», delivered to the director where the preset says and
acknowledged by the teachers and curators concerned. A check due and not done shows on the home
page; the internal control plan lists the year's checks; the term-end check is a checklist."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="control",
    title="Контроль ведения журнала",
    version="0.1.0",
    requires=("journal", "reports"),
)
