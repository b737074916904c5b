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

// A picture from the library, placed in the body with its own alt text and caption.
// Saved as <figure data-picture="ID"><img src alt><figcaption>; pages show it from the
// library as a responsive <picture> (articles.body_pictures).
export const BodyPicture = Node.create({
  name: "bodyPicture",
  group: "block",
  atom: true,
  draggable: true,

  addAttributes() {
    return {
      picture: { default: null },
      src: { default: "" },
      alt: { default: "" },
      caption: { default: "" },
    }
  },

  parseHTML() {
    return [
      {
        tag: "figure[data-picture]",
        getAttrs: (figure) => {
          const image = figure.querySelector("img")
          const caption = figure.querySelector("figcaption")
          return {
            picture: figure.getAttribute("data-picture"),
            src: image ? image.getAttribute("src") || "" : "",
            alt: image ? image.getAttribute("alt") || "" : "",
            caption: caption ? caption.textContent : "",
          }
        },
      },
    ]
  },

  renderHTML({ node }) {
    const parts = [["img", { src: node.attrs.src, alt: node.attrs.alt }]]
    if (node.attrs.caption) parts.push(["figcaption", {}, node.attrs.caption])
    return ["figure", { "data-picture": node.attrs.picture }, ...parts]
  },

  addCommands() {
    return {
      insertBodyPicture:
        (attrs) =>
        ({ commands }) =>
          commands.insertContent({ type: this.name, attrs }),
    }
  },

  addMenuItems({ buttons, menu }) {
    const words = document.querySelector("[data-picture-choice-url]")
    if (!words) return
    menu.defineItem({
      name: "bodyPicture",
      groups: "nodes",
      command: (editor) => choosePicture(editor, words.dataset),
      button: buttons.material("add_photo_alternate", words.dataset.pictureChoiceTitle),
    })
  },
})

function element(tag, properties = {}, children = []) {
  const made = Object.assign(document.createElement(tag), properties)
  made.append(...children)
  return made
}

function choosePicture(editor, words) {
  const search = element("input", { type: "search", placeholder: words.pictureChoiceSearch })
  const grid = element("div", { className: "picture-choice__grid" })
  const alt = element("input", { type: "text", dir: "auto", required: true })
  const caption = element("input", { type: "text", dir: "auto" })
  const insert = element("button", { type: "submit", className: "button default", textContent: words.pictureChoiceInsert, disabled: true })
  const cancel = element("button", { type: "button", className: "button", textContent: words.pictureChoiceCancel })
  const form = element("form", { method: "dialog", className: "picture-choice__form" }, [
    element("h2", { textContent: words.pictureChoiceTitle }),
    search,
    grid,
    element("label", { textContent: words.pictureChoiceAlt }, [alt]),
    element("label", { textContent: words.pictureChoiceCaption }, [caption]),
    element("div", { className: "picture-choice__buttons" }, [insert, cancel]),
  ])
  const dialog = element("dialog", { className: "picture-choice" }, [form])
  document.body.append(dialog)
  let chosen = null

  function show(results) {
    grid.replaceChildren()
    if (!results.length) grid.append(element("p", { textContent: words.pictureChoiceNone }))
    results.forEach((result) => {
      const option = element("button", { type: "button", className: "picture-choice__option", title: result.alt }, [
        element("img", { src: result.thumbnail, alt: result.alt }),
      ])
      option.addEventListener("click", () => {
        chosen = result
        grid.querySelectorAll(".picture-choice__option").forEach((b) => b.setAttribute("aria-pressed", "false"))
        option.setAttribute("aria-pressed", "true")
        alt.value = result.alt
        caption.value = result.caption
        insert.disabled = false
        alt.focus()
      })
      grid.append(option)
    })
  }

  function load() {
    const url = new URL(words.pictureChoiceUrl, location.href)
    url.searchParams.set("q", search.value)
    fetch(url, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((data) => show(data.results))
  }

  let timer = null
  search.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(load, 250)
  })
  cancel.addEventListener("click", () => dialog.close())
  form.addEventListener("submit", (event) => {
    event.preventDefault()
    if (!chosen || !alt.value.trim()) return
    editor
      .chain()
      .focus()
      .insertBodyPicture({ picture: String(chosen.id), src: chosen.thumbnail, alt: alt.value.trim(), caption: caption.value.trim() })
      .run()
    dialog.close()
  })
  dialog.addEventListener("close", () => dialog.remove())
  dialog.showModal()
  load()
  search.focus()
}
