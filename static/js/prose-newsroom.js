// The newsroom's own editor extension: a citation line under a block quote
// ("— Name, title"), kept as <cite> inside the <blockquote>.
import { Extension, Node, Plugin } from "django-prose-editor/editor"

export const Citation = Node.create({
  name: "citation",
  group: "block",
  content: "inline*",
  defining: true,

  parseHTML() {
    return [{ tag: "blockquote > cite" }]
  },

  renderHTML() {
    return ["cite", 0]
  },

  addCommands() {
    return {
      setCitation:
        () =>
        ({ commands }) =>
          commands.setNode(this.name),
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "citation",
      groups: "nodes",
      command: (editor) => editor.chain().focus().setCitation().run(),
      button: buttons.material("attribution", "Citation: who said it (inside a block quote)"),
      enabled: (editor) => editor.isActive("blockquote"),
      active: (editor) => editor.isActive("citation"),
    })
  },
})

// Pasted headings the toolbar has no button for keep their place as the nearest it has:
// a pasted <h1> is a subheading here (the headline is the title), h5 and h6 are h4.
export const PastedHeadings = Extension.create({
  name: "pastedHeadings",

  addProseMirrorPlugins() {
    return [
      new Plugin({
        props: {
          transformPastedHTML(html) {
            return html.replace(/<(\/?)h1\b/gi, "<$1h2").replace(/<(\/?)h[56]\b/gi, "<$1h4")
          },
        },
      }),
    ]
  },
})
