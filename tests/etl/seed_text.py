"""The article text of the seed files, without site furniture, for unit tests of the extractors."""

from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"
ARTICLES = {  # seed prefix -> (first words, last words) of the article text
    "000": ("LIMA, Oct. 8 (UPI)", "Alberto Otarola resigned."),
    "001": ("LIMA — The United States", "known as MoDA."),
    "002": ("LIMA (Reuters)", 'assistance is necessary," he said.'),
    "003": ("LIMA -- The United States", "taken root in recent decades."),
    "004": ("LIMA, Peru — Trade", "Patuca III hydroelectric project."),
}


def article(prefix: str) -> str:
    text = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    first, last = ARTICLES[prefix]
    return text[text.index(first) : text.index(last) + len(last)]
