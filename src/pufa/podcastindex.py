"""A feedgen extension for the Podcasting 2.0 namespace (and Apple's true/false explicit).

feedgen ships no Podcasting 2.0 support, and its iTunes extension, registered
under the name ``podcast``, only writes ``itunes:explicit`` as yes/no/clean,
while Apple now documents ``true``/``false``. This extension is registered as
``podcastindex`` and adds, in document order:

- channel: ``podcast:guid``, ``podcast:locked``, ``itunes:explicit``;
- item: ``podcast:transcript`` (one per format), ``podcast:chapters``,
  ``podcast:person`` (hosts and guests), ``itunes:explicit``.
"""

from __future__ import annotations

from dataclasses import dataclass

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
EXTENSION_NAME = "podcastindex"


@dataclass(frozen=True)
class Transcript:
    url: str
    type: str  # text/vtt, application/x-subrip …
    language: str = "zh-cn"
    rel: str | None = "captions"


@dataclass(frozen=True)
class Person:
    name: str
    role: str = "host"  # Podcasting 2.0 taxonomy: host, guest …
    group: str = "cast"


def _explicit(parent, value: bool | None) -> None:  # type: ignore[no-untyped-def]
    if value is not None:
        xml_elem(f"{{{ITUNES_NS}}}explicit", parent).text = "true" if value else "false"


class PodcastIndexExtension(BaseExtension):
    def __init__(self) -> None:
        self._guid: str | None = None
        self._locked: tuple[bool, str | None] | None = None
        self._explicit: bool | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS, "itunes": ITUNES_NS}

    def guid(self, value: str) -> None:
        self._guid = value

    def locked(self, locked: bool, owner: str | None = None) -> None:
        self._locked = (locked, owner)

    def explicit(self, value: bool) -> None:
        self._explicit = value

    def extend_rss(self, rss_feed):  # type: ignore[no-untyped-def]
        channel = rss_feed[0]
        if self._guid:
            xml_elem(f"{{{PODCAST_NS}}}guid", channel).text = self._guid
        if self._locked is not None:
            locked, owner = self._locked
            element = xml_elem(f"{{{PODCAST_NS}}}locked", channel)
            element.text = "yes" if locked else "no"
            if owner:
                element.attrib["owner"] = owner
        _explicit(channel, self._explicit)
        return rss_feed


class PodcastIndexEntryExtension(BaseEntryExtension):
    def __init__(self) -> None:
        self._transcripts: list[Transcript] = []
        self._chapters: str | None = None
        self._persons: list[Person] = []
        self._explicit: bool | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS, "itunes": ITUNES_NS}

    def transcript(self, transcript: Transcript) -> None:
        self._transcripts.append(transcript)

    def chapters(self, url: str) -> None:
        self._chapters = url

    def person(self, person: Person) -> None:
        self._persons.append(person)

    def explicit(self, value: bool) -> None:
        self._explicit = value

    def extend_rss(self, entry):  # type: ignore[no-untyped-def]
        for transcript in self._transcripts:
            element = xml_elem(f"{{{PODCAST_NS}}}transcript", entry)
            element.attrib["url"] = transcript.url
            element.attrib["type"] = transcript.type
            element.attrib["language"] = transcript.language
            if transcript.rel:
                element.attrib["rel"] = transcript.rel
        if self._chapters:
            element = xml_elem(f"{{{PODCAST_NS}}}chapters", entry)
            element.attrib["url"] = self._chapters
            element.attrib["type"] = "application/json+chapters"
        for person in self._persons:
            element = xml_elem(f"{{{PODCAST_NS}}}person", entry)
            element.attrib["role"] = person.role
            element.attrib["group"] = person.group
            element.text = person.name
        _explicit(entry, self._explicit)
        return entry
