// Package e2e tests humas the way a press officer meets it: the real binary serves a
// small project, and headless Chromium loads the article, index, tag and preview pages,
// checks what a reader sees, that pages reload on change, and that every page passes
// axe-core (WCAG 2.1 A/AA) and the Nu HTML Checker.
//
// The tests need Chromium, a Java runtime and the npm packages of e2e/package.json;
// e2e/setup.sh installs them. With CI=true a missing tool fails the tests; elsewhere
// they are skipped with a message naming the script.
package e2e
