"""The legal provisions the letters rest on, each with a line saying what it means for the reader. They stand
in a box of their own (``Letter.provisions``), apart from the running text."""

from __future__ import annotations

from .document import Provision

FVL_19 = Provision("Forvaltningsloven § 19 (partshøring)",
                   "Før vi træffer en afgørelse, skal du have mulighed for at udtale dig om oplysninger, som du "
                   "ikke selv har givet os, og som taler imod dig.")
FVL_22 = Provision("Forvaltningsloven § 22 (begrundelse)",
                   "En skriftlig afgørelse skal begrundes, når du ikke får fuldt ud ret.")
FVL_24 = Provision("Forvaltningsloven § 24 (begrundelsens indhold)",
                   "Begrundelsen nævner de regler, afgørelsen bygger på, de faktiske oplysninger, der har haft "
                   "betydning, og de hovedhensyn, der har været afgørende for vores vurdering.")
FVL_25 = Provision("Forvaltningsloven § 25 (klagevejledning)",
                   "En afgørelse, der kan klages over, skal have en vejledning om, hvor du kan klage, og hvilken "
                   "frist der gælder.")
LAB_123 = Provision("Lov om en aktiv beskæftigelsesindsats (LAB) § 123",
                    "Fleksløntilskuddet udbetales bagud og beregnes ud fra den løn, du har fået måneden før. Løn og "
                    "tilskud må tilsammen højst udgøre lønloftet.")
BEK_227_14 = Provision("Bekendtgørelse nr. 227 af 2024 § 14",
                       "Kommunen bruger lønoplysningerne i indkomstregistret (eIndkomst).")
PM_48_22 = Provision("Ankestyrelsens principmeddelelse 48-22",
                     "Tilskuddet reguleres bagud efter den løn, arbejdsgiveren har indberettet.")
PM_6_23 = Provision("Ankestyrelsens principmeddelelse 6-23",
                    "For meget udbetalt tilskud kan kun kræves tilbage efter en afgørelse, og kun hvis du vidste "
                    "eller burde vide, at du fik for meget.")
RSL_COMPLAINT = Provision("Retssikkerhedsloven §§ 60, 66 og 67 (klage)",
                          "Du klager til kommunen inden 4 uger efter, at du har fået afgørelsen. Kommunen ser på "
                          "sagen igen. Fastholder kommunen afgørelsen, sender den klagen til Ankestyrelsen.")
ATP_OWN = Provision("LAB § 137 og BEK 1344/2015 § 2 (ATP)",
                    "Du betaler selv en del af ATP-bidraget. Den trækkes i tilskuddet.")
